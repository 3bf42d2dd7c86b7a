SELECT from_iso8601_timestamp(eventtime) AS "@timestamp",
  eventname AS "eventName",
  sourceipaddress AS "sourceIPAddress"
FROM cloudtrail_logs
ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST
LIMIT 25
