SELECT eventsource AS "eventSource",
  calls
FROM (
  SELECT eventsource AS eventsource,
    count(*) AS calls
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
      WHERE "timestamp" >= '2026/11/03'
        AND from_iso8601_timestamp(eventtime) >= from_iso8601_timestamp('2026-11-03T12:00:00.000Z')
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  GROUP BY eventsource
) AS s
ORDER BY calls DESC NULLS LAST
LIMIT 10
