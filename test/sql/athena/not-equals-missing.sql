SELECT n
FROM (
  SELECT count(*) AS n
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  WHERE NOT coalesce((useridentity.invokedby = 'lambda.amazonaws.com'), false)
    AND useridentity.type = 'AssumedRole'
) AS s
