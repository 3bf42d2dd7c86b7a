SELECT p,
  "extract",
  "except"
FROM (
  SELECT (- -5) AS p,
    eventname AS "extract",
    count(*) AS "except"
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  GROUP BY (- -5), eventname
) AS s
