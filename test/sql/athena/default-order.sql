SELECT from_iso8601_timestamp(eventtime) AS "@timestamp",
  eventname AS "eventName",
  sourceipaddress AS "sourceIPAddress"
FROM (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
    FROM cloudtrail_logs
  ) AS copies
  WHERE nullif(eventid, '') IS NULL OR copy_number = 1
) AS events
ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST
LIMIT 25
