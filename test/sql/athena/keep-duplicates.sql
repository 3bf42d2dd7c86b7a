SELECT eventname AS "eventName",
  n
FROM (
  SELECT eventname AS eventname,
    count(*) AS n
  FROM cloudtrail_logs
  WHERE "timestamp" BETWEEN '2026/11/02' AND '2026/11/02'
    AND from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp('2026-11-02T00:00:00.000Z') AND from_iso8601_timestamp('2026-11-02T12:00:00.000Z')
  GROUP BY eventname
) AS s
