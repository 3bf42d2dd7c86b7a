SELECT useridentity_arn AS "userIdentity.arn",
  services,
  total
FROM (
  SELECT useridentity_arn AS useridentity_arn,
    count(*) AS services,
    sum(calls) AS total
  FROM (
    SELECT useridentity.arn AS useridentity_arn,
      eventsource AS eventsource,
      count(*) AS calls
    FROM (
      SELECT *
      FROM (
        SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
        FROM cloudtrail_logs
      ) AS copies
      WHERE nullif(eventid, '') IS NULL OR copy_number = 1
    ) AS events
    GROUP BY useridentity.arn, eventsource
  ) AS s
  GROUP BY useridentity_arn
) AS s
ORDER BY total DESC NULLS LAST
LIMIT 5
