SELECT n
FROM (
  SELECT count(*) AS n
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY eventid ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE eventid IS NULL OR copy_number = 1
  ) AS events
  WHERE NOT coalesce((useridentity.invokedby = 'lambda.amazonaws.com'), false)
    AND useridentity.type = 'AssumedRole'
) AS s
