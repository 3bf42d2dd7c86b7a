SELECT eventid AS "eventID",
  eventtime AS "eventTime"
FROM (
  SELECT *,
    CASE WHEN eventtime IS NULL THEN 2 WHEN (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END) IS NULL THEN 0 ELSE 1 END AS __o,
    (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END) AS __o_2,
    array_join(transform(regexp_extract_all(eventtime, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), '') AS __o_3
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  ORDER BY CASE WHEN eventtime IS NULL THEN 2 WHEN (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END) IS NULL THEN 0 ELSE 1 END DESC NULLS FIRST,
    (CASE WHEN regexp_like(eventtime, '^ *[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? *$') THEN try_cast(trim(eventtime) AS double) END) DESC NULLS FIRST,
    array_join(transform(regexp_extract_all(eventtime, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), '') DESC NULLS FIRST
  LIMIT 3
) AS t
ORDER BY __o ASC NULLS LAST,
  __o_2 ASC NULLS LAST,
  __o_3 ASC NULLS LAST
