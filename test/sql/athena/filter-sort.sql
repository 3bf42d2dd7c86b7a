SELECT eventid AS "eventID",
  eventname AS "eventName"
FROM (
  SELECT *
  FROM (
    SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
    FROM cloudtrail_logs
  ) AS copies
  WHERE nullif(eventid, '') IS NULL OR copy_number = 1
) AS events
WHERE eventsource = 'ec2.amazonaws.com'
ORDER BY CASE WHEN eventid IS NULL THEN 2 WHEN (CASE WHEN regexp_like(eventid, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventid) AS double) END) IS NULL THEN 0 ELSE 1 END ASC NULLS LAST,
  (CASE WHEN regexp_like(eventid, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventid) AS double) END) ASC NULLS LAST,
  array_join(transform(regexp_extract_all(eventid, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), '') ASC NULLS LAST
