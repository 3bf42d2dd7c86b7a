SELECT eventsource AS "eventSource",
  n
FROM (
  SELECT eventsource AS eventsource,
    count(*) AS n
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
      WHERE "timestamp" BETWEEN '2026/11/01' AND '2026/11/03'
        AND from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp('2026-11-01T00:00:00.000Z') AND from_iso8601_timestamp('2026-11-02T23:59:59.000Z')
        AND region IN ('eu-west-1')
        AND coalesce(awsregion, region) IN ('eu-west-1')
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  GROUP BY eventsource
) AS s
