SELECT from_iso8601_timestamp(eventtime) AS "@timestamp",
  useridentity.sessioncontext.sessionissuer.username AS issuer,
  coalesce(json_extract_scalar(requestparameters, '$.bucketName'), json_format(json_extract(requestparameters, '$.bucketName'))) AS bucket,
  element_at(resources, 1).arn AS "resources.0.ARN"
FROM (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
    FROM cloudtrail_logs
  ) AS copies
  WHERE nullif(eventid, '') IS NULL OR copy_number = 1
) AS events
WHERE eventsource = 's3.amazonaws.com'
  AND (CASE nullif(json_format(json_extract(requestparameters, '$.maxKeys')), 'null') WHEN 'true' THEN 1E0 WHEN 'false' THEN 0E0 ELSE (CASE WHEN regexp_like(json_extract_scalar(requestparameters, '$.maxKeys'), '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(json_extract_scalar(requestparameters, '$.maxKeys')) AS double) END) END) > 100
ORDER BY from_iso8601_timestamp(eventtime) DESC NULLS LAST
LIMIT 20
