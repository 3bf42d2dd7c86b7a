SELECT (COALESCE(eventsource, '') || ':' || COALESCE(eventname, '')) AS call,
  upper(awsregion) AS region,
  substr(eventname, 1, 8) AS head,
  replace(useragent, '/', ' ') AS ua,
  coalesce(errorcode, 'ok') AS status,
  CASE WHEN (CAST((readonly = 'true') AS integer) = 1) THEN 'read' ELSE 'write' END AS kind,
  ((sign((CAST(length(eventname) AS double) / 3)) * (floor((abs((CAST(length(eventname) AS double) / 3)) * 100)) + CASE WHEN (abs((CAST(length(eventname) AS double) / 3)) * 100) > floor((abs((CAST(length(eventname) AS double) / 3)) * 100)) AND (abs((CAST(length(eventname) AS double) / 3)) * 100) - floor((abs((CAST(length(eventname) AS double) / 3)) * 100)) >= 0.5E0 - (abs((CAST(length(eventname) AS double) / 3)) * 100) * 4.440892098500626E-16 THEN 1 ELSE 0 END)) / 100) AS third,
  date_format(from_iso8601_timestamp(eventtime), '%Y-%m-%d %H:%i') AS minute
FROM (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
    FROM cloudtrail_logs
  ) AS copies
  WHERE nullif(eventid, '') IS NULL OR copy_number = 1
) AS events
ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST
LIMIT 10
