SELECT n
FROM (
  SELECT count(*) AS n
  FROM cloudtrail_logs
  WHERE NOT coalesce((useridentity.invokedby = 'lambda.amazonaws.com'), false)
    AND useridentity.type = 'AssumedRole'
) AS s
