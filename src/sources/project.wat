;; The projector's byte loop (src/sources/project.ts), in WebAssembly: it reads a
;; `{"Records":[...]}` document placed in this memory and writes a tape of where each record and each
;; wanted value lies; project.ts turns the tape into objects. Anything the fast path does not handle
;; traps (`unreachable`): project.ts then gives up, as it always has, for the careful reader.
;;
;; Memory, laid out by project.ts:
;;   0      OUTSIDE: a byte's class outside strings in a skipped value (0 goes on, 1 quote, 2 open,
;;          3 close, 4 not JSON here, 5 whitespace)
;;   256    IN_STRING: inside a string (0 goes on, 1 quote, 2 backslash, 3 past ASCII, 4 control)
;;   512    IN_SKIPPED_STRING: IN_STRING with 3 as 0
;;   768    BARE: 1 for a byte that may stand in a number, true, false or null
;;   1024   SPACE: 1 for whitespace
;;   1280   ENDS_BARE: 1 for a byte that ends a bare value (, } ] and whitespace)
;;   2048.. levels: a count, then 16 bytes a key (length, where its bytes are, its inner level or 0
;;          when wanted whole, its index in project.ts's key names), then the keys' bytes
;;   then the tape (12 bytes an entry), then the document, followed by two 0 bytes (a 0 byte stops
;;   every loop: it is a control character in a string and not JSON outside one) and 16 bytes of
;;   room (strings are read 16 bytes at a time: $plain).
;;
;; A tape entry is three i32: what (its low 4 bits: 1 a record starts, 2 an object ends, 3 a wanted
;; object starts, 4 a wanted value, 5 a value's fingerprint; bit 4 the string had an escape, bit 5 a
;; byte past ASCII; from bit 8 the key's index), and two numbers: offsets in the document (a record's
;; or a value's start and end), or a fingerprint's two halves. A key whose inner level is -1 is the
;; one whose value's fingerprint is wanted ($fingerprint).
(module
  (memory (export "memory") 1)
  (global $tp (mut i32) (i32.const 0))
  (global $tapeStart (mut i32) (i32.const 0))
  (global $tapeEnd (mut i32) (i32.const 0))
  (global $base (mut i32) (i32.const 0))
  (global $esc (mut i32) (i32.const 0))
  (global $nonAscii (mut i32) (i32.const 0))
  (global $spaced (mut i32) (i32.const 0))
  (global $arraySpaced (export "spaced") (mut i32) (i32.const 0))
  (global $full (export "full") (mut i32) (i32.const 0))
  (global $rootLevel (mut i32) (i32.const 0))
  (global $eventLevel (mut i32) (i32.const 0))
  (global $recordsLevel (mut i32) (i32.const 0))
  (global $maxDepth (mut i32) (i32.const 0))

  (func (export "setup") (param $root i32) (param $event i32) (param $records i32) (param $maxDepth i32)
    (global.set $rootLevel (local.get $root))
    (global.set $eventLevel (local.get $event))
    (global.set $recordsLevel (local.get $records))
    (global.set $maxDepth (local.get $maxDepth)))

  ;; past whitespace, noted. The loops test the first byte themselves, and call $spaceRun only where
  ;; there is some: a call for every token cost 10 % of the time, and most documents have none.
  (func $space (param $i i32) (result i32)
    (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i)))
      (then (local.set $i (call $spaceRun (local.get $i)))))
    (local.get $i))

  ;; $space where the byte at $i is whitespace
  (func $spaceRun (param $i i32) (result i32)
    (global.set $spaced (i32.const 1))
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.load8_u offset=1024 (i32.load8_u (local.get $i)))))
    (local.get $i))

  ;; Inside a string, from $i: where the first byte other than plain text is (a quote, a backslash, a
  ;; control character, and a byte past ASCII when $pastAscii), 16 bytes at a time. The document's
  ;; 0 after it stops the search, and the memory holds 16 bytes more.
  (func $plain (param $i i32) (param $pastAscii i32) (result i32)
    (local $v v128) (local $high v128) (local $m i32)
    (local.set $high (i8x16.splat (i32.sub (i32.const 0) (local.get $pastAscii))))
    (loop $l
      (local.set $v (v128.load (local.get $i)))
      (local.set $m
        (i8x16.bitmask
          (v128.or
            (v128.or
              (i8x16.eq (local.get $v) (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))
              (i8x16.eq (local.get $v) (v128.const i8x16 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92 92)))
            (v128.or
              (i8x16.lt_u (local.get $v) (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32))
              (v128.and (local.get $high) (i8x16.lt_s (local.get $v) (v128.const i64x2 0 0)))))))
      (if (i32.eqz (local.get $m))
        (then (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $l))))
    (i32.add (local.get $i) (i32.ctz (local.get $m))))

  ;; the index after the closing quote of the string whose opening quote is at $i; notes escapes and bytes past ASCII
  (func $stringEnd (param $i i32) (result i32)
    (local $c i32)
    (global.set $esc (i32.const 0))
    (global.set $nonAscii (i32.const 0))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (loop $l
      (local.set $i (call $plain (local.get $i) (i32.eqz (global.get $nonAscii))))
      (local.set $c (i32.load8_u offset=256 (i32.load8_u (local.get $i))))
      (if (i32.eqz (local.get $c))
        (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
      (if (i32.eq (local.get $c) (i32.const 1))
        (then (return (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.eq (local.get $c) (i32.const 2))
        (then
          (global.set $esc (i32.const 1))
          (local.set $i (i32.add (local.get $i) (i32.const 2)))
          (br $l)))
      (if (i32.eq (local.get $c) (i32.const 3))
        (then
          (global.set $nonAscii (i32.const 1))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l))))
    (unreachable))

  ;; stringEnd for a string whose text is not wanted
  (func $skipString (param $i i32) (result i32)
    (local $c i32)
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (loop $l
      (local.set $i (call $plain (local.get $i) (i32.const 0)))
      (local.set $c (i32.load8_u offset=512 (i32.load8_u (local.get $i))))
      (if (i32.eqz (local.get $c))
        (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
      (if (i32.eq (local.get $c) (i32.const 1))
        (then (return (i32.add (local.get $i) (i32.const 1)))))
      (if (i32.eq (local.get $c) (i32.const 2))
        (then (local.set $i (i32.add (local.get $i) (i32.const 2))) (br $l))))
    (unreachable))

  ;; the index after the value at $i (a wanted string's escapes noted); brackets nest at most $nest deep
  (func $skip (param $i i32) (param $wanted i32) (param $nest i32) (result i32)
    (local $c i32) (local $t i32) (local $depth i32) (local $start i32)
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.eq (local.get $c) (i32.const 34))
      (then
        (if (local.get $wanted) (then (return (call $stringEnd (local.get $i)))))
        (return (call $skipString (local.get $i)))))
    (if (i32.or (i32.eq (local.get $c) (i32.const 123)) (i32.eq (local.get $c) (i32.const 91)))
      (then
        (loop $l
          (local.set $t (i32.load8_u (i32.load8_u (local.get $i))))
          (if (i32.eqz (local.get $t))
            (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
          (if (i32.eq (local.get $t) (i32.const 1))
            (then
              ;; a string, inline: most of the bytes (a call to $skipString here cost 4 %)
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (loop $s
                (local.set $i (call $plain (local.get $i) (i32.const 0)))
                (local.set $c (i32.load8_u offset=512 (i32.load8_u (local.get $i))))
                (if (i32.eqz (local.get $c))
                  (then (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $s)))
                (if (i32.eq (local.get $c) (i32.const 2))
                  (then (local.set $i (i32.add (local.get $i) (i32.const 2))) (br $s)))
                (if (i32.ne (local.get $c) (i32.const 1)) (then (unreachable))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l)))
          (if (i32.eq (local.get $t) (i32.const 2))
            (then
              (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
              (if (i32.gt_s (local.get $depth) (local.get $nest)) (then (unreachable)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l)))
          (if (i32.eq (local.get $t) (i32.const 3))
            (then
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
              (if (i32.eqz (local.get $depth)) (then (return (local.get $i))))
              (br $l)))
          (if (i32.eq (local.get $t) (i32.const 5))
            (then
              (global.set $spaced (i32.const 1))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l))))
        (unreachable)))
    ;; a number, true, false or null
    (local.set $start (local.get $i))
    (block $done
      (loop $l
        (local.set $c (i32.load8_u (local.get $i)))
        (br_if $done (i32.load8_u offset=1280 (local.get $c)))
        (if (i32.eqz (i32.load8_u offset=768 (local.get $c))) (then (unreachable)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (if (i32.eq (local.get $i) (local.get $start)) (then (unreachable)))
    (local.get $i))

  ;; the key of the level $lv that the bytes [$s, $e) spell (where its entry is), or 0
  (func $find (param $lv i32) (param $s i32) (param $e i32) (result i32)
    (local $n i32) (local $p i32) (local $len i32) (local $k i32) (local $j i32)
    (local.set $len (i32.sub (local.get $e) (local.get $s)))
    (local.set $n (i32.load (local.get $lv)))
    (local.set $p (i32.add (local.get $lv) (i32.const 4)))
    (block $none
      (loop $keys
        (br_if $none (i32.eqz (local.get $n)))
        (if (i32.eq (i32.load (local.get $p)) (local.get $len))
          (then
            (local.set $k (i32.load offset=4 (local.get $p)))
            (local.set $j (i32.const 0))
            (block $differ
              (loop $bytes
                (if (i32.eq (local.get $j) (local.get $len)) (then (return (local.get $p))))
                (br_if $differ
                  (i32.ne
                    (i32.load8_u (i32.add (local.get $k) (local.get $j)))
                    (i32.load8_u (i32.add (local.get $s) (local.get $j)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $bytes)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $keys)))
    (i32.const 0))

  ;; whether the key [$s, $e) has a dot and the part before its first dot is a key of the level $lv:
  ;; 16 bytes at a time (most keys are one step; the memory holds 16 bytes past the document)
  (func $flatWanted (param $lv i32) (param $s i32) (param $e i32) (result i32)
    (local $i i32) (local $m i32)
    (local.set $i (local.get $s))
    (loop $l
      (if (i32.ge_u (local.get $i) (local.get $e)) (then (return (i32.const 0))))
      (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $i)) (v128.const i8x16 46 46 46 46 46 46 46 46 46 46 46 46 46 46 46 46))))
      (if (local.get $m)
        (then
          (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $m))))
          (if (i32.ge_u (local.get $i) (local.get $e)) (then (return (i32.const 0))))
          (return (i32.ne (call $find (local.get $lv) (local.get $s) (local.get $i)) (i32.const 0)))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $l))
    (i32.const 0))

  ;; a tape entry whose two numbers are places in the document
  (func $emit (param $what i32) (param $s i32) (param $e i32)
    (call $emitNumbers (local.get $what) (i32.sub (local.get $s) (global.get $base)) (i32.sub (local.get $e) (global.get $base))))

  (func $emitNumbers (param $what i32) (param $x i32) (param $y i32)
    (if (i32.ge_u (global.get $tp) (global.get $tapeEnd))
      (then (global.set $full (i32.const 1)) (unreachable)))
    (i32.store (global.get $tp) (local.get $what))
    (i32.store offset=4 (global.get $tp) (local.get $x))
    (i32.store offset=8 (global.get $tp) (local.get $y))
    (global.set $tp (i32.add (global.get $tp) (i32.const 12))))

  ;; the wanted value [$s, $e) of the key at $key on the tape (a string's escapes and bytes past ASCII noted)
  (func $value (param $key i32) (param $s i32) (param $e i32)
    (call $emit
      (i32.or
        (i32.or (i32.const 4) (i32.shl (i32.load offset=12 (local.get $key)) (i32.const 8)))
        (i32.or (i32.shl (global.get $esc) (i32.const 4)) (i32.shl (global.get $nonAscii) (i32.const 5))))
      (local.get $s) (local.get $e)))

  ;; The value [$s, $e) of the key whose fingerprint is wanted, not its text (the eventID: copies of
  ;; events are skipped by it): a string of ASCII without escapes gets event-ids.ts's fingerprint(),
  ;; over its bytes four to a little-endian word (the last word's missing bytes 0); any other value
  ;; goes on the tape as a value.
  (func $fingerprint (param $key i32) (param $s i32) (param $e i32)
    (local $a i32) (local $b i32) (local $j i32) (local $end i32) (local $n i32) (local $w i32)
    (if (i32.or
          (i32.or (i32.ne (i32.load8_u (local.get $s)) (i32.const 34)) (i32.or (global.get $esc) (global.get $nonAscii)))
          (i32.le_u (i32.sub (local.get $e) (local.get $s)) (i32.const 2)))
      (then
        (call $value (local.get $key) (local.get $s) (local.get $e))
        (return)))
    (local.set $n (i32.sub (i32.sub (local.get $e) (local.get $s)) (i32.const 2)))
    (local.set $a (i32.xor (i32.const 0x2f6b4a1d) (local.get $n)))
    (local.set $b (i32.xor (i32.const 0x5b3c81e7) (local.get $n)))
    (local.set $j (i32.add (local.get $s) (i32.const 1)))
    (local.set $end (i32.sub (local.get $e) (i32.const 1)))
    (loop $words
      (local.set $w (i32.load (local.get $j)))
      ;; the last word: only the bytes before the closing quote (the rest read as 0)
      (if (i32.lt_u (i32.sub (local.get $end) (local.get $j)) (i32.const 4))
        (then
          (local.set $w (i32.and (local.get $w)
            (i32.sub (i32.shl (i32.const 1) (i32.shl (i32.sub (local.get $end) (local.get $j)) (i32.const 3))) (i32.const 1))))))
      (local.set $a (call $roundA (local.get $a) (local.get $w)))
      (local.set $b (call $roundB (local.get $b) (local.get $w)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br_if $words (i32.lt_u (local.get $j) (local.get $end))))
    (local.set $a (call $mix (i32.xor (local.get $a) (local.get $n))))
    (local.set $b (call $mix (i32.xor (local.get $b) (local.get $n))))
    (call $emitNumbers
      (i32.or (i32.const 5) (i32.shl (i32.load offset=12 (local.get $key)) (i32.const 8)))
      ;; neither half is ever 0
      (select (local.get $a) (i32.const 1) (local.get $a))
      (select (local.get $b) (i32.const 1) (local.get $b))))

  ;; event-ids.ts' roundA (murmur3's round) and roundB
  (func $roundA (param $h i32) (param $w i32) (result i32)
    (i32.add
      (i32.mul
        (i32.rotl
          (i32.xor (local.get $h) (i32.mul (i32.rotl (i32.mul (local.get $w) (i32.const 0xcc9e2d51)) (i32.const 15)) (i32.const 0x1b873593)))
          (i32.const 13))
        (i32.const 5))
      (i32.const 0xe6546b64)))
  (func $roundB (param $h i32) (param $w i32) (result i32)
    (i32.add
      (i32.mul
        (i32.rotl
          (i32.xor (local.get $h) (i32.mul (i32.rotl (i32.mul (local.get $w) (i32.const 0x85ebca77)) (i32.const 17)) (i32.const 0xc2b2ae3d)))
          (i32.const 11))
        (i32.const 9))
      (i32.const 0x27d4eb2f)))

  ;; murmur3's finishing mix (event-ids.ts's mix)
  (func $mix (param $h i32) (result i32)
    (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
    (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
    (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
    (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
    (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))

  ;; the object at $i (its {) with the level's keys on the tape; the index after its }.
  ;; $depth: its level in the record (the record is 1); a record must have a key of the event level.
  (func $object (param $i i32) (param $lv i32) (param $depth i32) (result i32)
    (local $event i32) (local $nest i32) (local $ks i32) (local $ke i32) (local $kesc i32)
    (local $key i32) (local $inner i32) (local $vs i32) (local $c i32)
    (local.set $event (i32.gt_u (local.get $depth) (i32.const 1)))
    (local.set $nest (i32.sub (global.get $maxDepth) (local.get $depth)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
    (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 125))
      (then
        (if (i32.eqz (local.get $event)) (then (unreachable)))
        (return (i32.add (local.get $i) (i32.const 1)))))
    (loop $keys
      (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 34)) (then (unreachable)))
      (local.set $ks (i32.add (local.get $i) (i32.const 1)))
      (local.set $ke (i32.sub (call $stringEnd (local.get $i)) (i32.const 1)))
      (local.set $kesc (global.get $esc))
      (if (i32.eqz (local.get $event))
        (then
          ;; an escaped key could spell an event key: only JSON.parse can tell
          (if (local.get $kesc) (then (unreachable)))
          (local.set $event (i32.ne (call $find (global.get $eventLevel) (local.get $ks) (local.get $ke)) (i32.const 0)))))
      (local.set $i (i32.add (local.get $ke) (i32.const 1)))
      (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
      (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 58)) (then (unreachable)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
      (local.set $key (call $find (local.get $lv) (local.get $ks) (local.get $ke)))
      (if (i32.eqz (local.get $key))
        (then
          ;; an escaped key could spell a wanted one; a key with dots could be a wanted path written
          ;; flat ("a.b" holding a.b, as CloudWatch Logs flattens): only the careful reader reads those
          (if (local.get $kesc) (then (unreachable)))
          (if (call $flatWanted (local.get $lv) (local.get $ks) (local.get $ke)) (then (unreachable)))))
      (local.set $inner (i32.const 0))
      (if (local.get $key) (then (local.set $inner (i32.load offset=8 (local.get $key)))))
      (if (i32.and (i32.gt_s (local.get $inner) (i32.const 0)) (i32.eq (i32.load8_u (local.get $i)) (i32.const 123)))
        (then
          (if (i32.lt_s (local.get $nest) (i32.const 1)) (then (unreachable)))
          (call $emit (i32.or (i32.const 3) (i32.shl (i32.load offset=12 (local.get $key)) (i32.const 8))) (local.get $i) (local.get $i))
          (local.set $i (call $object (local.get $i) (local.get $inner) (i32.add (local.get $depth) (i32.const 1))))
          (call $emit (i32.const 2) (local.get $i) (local.get $i)))
        (else
          (local.set $vs (local.get $i))
          (local.set $i (call $skip (local.get $i) (i32.ne (local.get $key) (i32.const 0)) (local.get $nest)))
          (if (local.get $key)
            (then
              (if (i32.eq (local.get $inner) (i32.const -1))
                (then (call $fingerprint (local.get $key) (local.get $vs) (local.get $i)))
                (else (call $value (local.get $key) (local.get $vs) (local.get $i))))))))
      (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
      (local.set $c (i32.load8_u (local.get $i)))
      (if (i32.eq (local.get $c) (i32.const 44))
        (then
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
          (br $keys)))
      (if (i32.ne (local.get $c) (i32.const 125)) (then (unreachable))))
    (if (i32.eqz (local.get $event)) (then (unreachable)))
    (i32.add (local.get $i) (i32.const 1)))

  ;; the records array at $i (its [); the index after its ]
  (func $array (param $i i32) (result i32)
    (local $start i32) (local $c i32)
    (global.set $spaced (i32.const 0))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 93))
      (then
        (loop $records
          (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 123)) (then (unreachable)))
          (local.set $start (local.get $i))
          (call $emit (i32.const 1) (local.get $i) (local.get $i))
          (local.set $i (call $object (local.get $i) (global.get $rootLevel) (i32.const 1)))
          (call $emit (i32.const 2) (local.get $start) (local.get $i))
          (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.eq (local.get $c) (i32.const 44))
            (then
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (if (i32.load8_u offset=1024 (i32.load8_u (local.get $i))) (then (local.set $i (call $spaceRun (local.get $i)))))
              (br $records)))
          (if (i32.ne (local.get $c) (i32.const 93)) (then (unreachable))))
        (global.set $arraySpaced (global.get $spaced))))
    (i32.add (local.get $i) (i32.const 1)))

  ;; The document [$s, $e) onto the tape [$tape, $tapeEnd); how many entries it wrote. Traps on
  ;; anything the fast path does not handle ($full set when the tape was too short).
  (func (export "records") (param $s i32) (param $e i32) (param $tape i32) (param $tapeEnd i32) (result i32)
    (local $i i32) (local $ks i32) (local $ke i32) (local $isRecords i32) (local $found i32) (local $c i32)
    (global.set $base (local.get $s))
    (global.set $tapeStart (local.get $tape))
    (global.set $tp (local.get $tape))
    (global.set $tapeEnd (i32.sub (local.get $tapeEnd) (i32.const 12)))
    (global.set $full (i32.const 0))
    (global.set $arraySpaced (i32.const 0))
    (local.set $i (call $space (local.get $s)))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 123)) (then (unreachable)))
    (local.set $i (call $space (i32.add (local.get $i) (i32.const 1))))
    (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 125))
      (then
        (loop $keys
          (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 34)) (then (unreachable)))
          (local.set $ks (local.get $i))
          (local.set $ke (call $stringEnd (local.get $i)))
          ;; an escaped key could read as "Records": the careful reader reads such a document
          (if (global.get $esc) (then (unreachable)))
          (local.set $isRecords
            (i32.ne (call $find (global.get $recordsLevel) (i32.add (local.get $ks) (i32.const 1)) (i32.sub (local.get $ke) (i32.const 1))) (i32.const 0)))
          (local.set $i (call $space (local.get $ke)))
          (if (i32.ne (i32.load8_u (local.get $i)) (i32.const 58)) (then (unreachable)))
          (local.set $i (call $space (i32.add (local.get $i) (i32.const 1))))
          (if (local.get $isRecords)
            (then
              (if (i32.or (i32.ne (i32.load8_u (local.get $i)) (i32.const 91)) (local.get $found)) (then (unreachable)))
              (local.set $found (i32.const 1))
              (local.set $i (call $array (local.get $i))))
            (else (local.set $i (call $skip (local.get $i) (i32.const 0) (i32.const 0x7fffffff)))))
          (local.set $i (call $space (local.get $i)))
          (local.set $c (i32.load8_u (local.get $i)))
          (if (i32.eq (local.get $c) (i32.const 44))
            (then
              (local.set $i (call $space (i32.add (local.get $i) (i32.const 1))))
              (br $keys)))
          (if (i32.ne (local.get $c) (i32.const 125)) (then (unreachable))))))
    (if (i32.eqz (local.get $found)) (then (unreachable)))
    (if (i32.ne (call $space (i32.add (local.get $i) (i32.const 1))) (local.get $e)) (then (unreachable)))
    (i32.div_u (i32.sub (global.get $tp) (local.get $tape)) (i32.const 12)))
)
