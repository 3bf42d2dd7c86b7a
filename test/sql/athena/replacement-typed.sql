SELECT regexp_replace(eventname, '(G)et', '<$0|1|$1>\$') AS r,
  regexp_replace(useragent, '^[\s\x{0B}\p{Zs}\x{FEFF}\x{2028}\x{2029}]+|[\s\x{0B}\p{Zs}\x{FEFF}\x{2028}\x{2029}]+$', '') AS ua
FROM (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
    FROM cloudtrail_logs
  ) AS copies
  WHERE nullif(eventid, '') IS NULL OR copy_number = 1
) AS events
WHERE NOT coalesce((readonly = 'true'), false)
  AND CASE WHEN nullif(json_format(json_extract(requestparameters, '$.durationSeconds')), 'null') LIKE '"%' THEN json_extract_scalar(requestparameters, '$.durationSeconds') >= '3600' WHEN (CASE WHEN regexp_like(json_extract_scalar(requestparameters, '$.durationSeconds'), '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(json_extract_scalar(requestparameters, '$.durationSeconds')) AS double) END) IS NOT NULL AND (CASE WHEN regexp_like('3600', '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim('3600') AS double) END) IS NOT NULL THEN (CASE WHEN regexp_like(json_extract_scalar(requestparameters, '$.durationSeconds'), '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(json_extract_scalar(requestparameters, '$.durationSeconds')) AS double) END) >= (CASE WHEN regexp_like('3600', '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim('3600') AS double) END) END
ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST
LIMIT 5
