SELECT useridentity_username AS "userIdentity.userName",
  logins
FROM (
  SELECT useridentity.username AS useridentity_username,
    count(*) AS logins
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
      WHERE "timestamp" BETWEEN '2026/11/01' AND '2026/11/04'
        AND from_iso8601_timestamp(eventtime) BETWEEN from_iso8601_timestamp('2026-11-01T00:00:00.000Z') AND from_iso8601_timestamp('2026-11-03T23:30:00.000Z')
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  WHERE eventname = 'ConsoleLogin'
  GROUP BY useridentity.username
) AS s
