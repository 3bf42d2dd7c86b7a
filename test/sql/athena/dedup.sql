SELECT from_iso8601_timestamp(eventtime) AS "@timestamp",
  sourceipaddress AS "sourceIPAddress",
  eventname AS "eventName"
FROM (
  SELECT *,
    from_iso8601_timestamp(eventtime) AS __o,
    CASE WHEN sourceipaddress IS NULL THEN 1 ELSE row_number() OVER (PARTITION BY sourceipaddress ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST) END AS __rn
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
) AS t
WHERE __rn = 1
ORDER BY CASE WHEN sourceipaddress IS NULL THEN 2 WHEN (CASE WHEN regexp_like(sourceipaddress, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(sourceipaddress) AS double) END) IS NULL THEN 0 ELSE 1 END ASC NULLS LAST,
  (CASE WHEN regexp_like(sourceipaddress, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(sourceipaddress) AS double) END) ASC NULLS LAST,
  array_join(transform(regexp_extract_all(sourceipaddress, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), '') ASC NULLS LAST,
  __o DESC NULLS LAST
