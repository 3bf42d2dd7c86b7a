SELECT eventid AS "eventID",
  eventtime AS "eventTime"
FROM (
  SELECT *,
    CASE WHEN eventtime IS NULL THEN 2 WHEN try_cast(eventtime AS double) IS NULL THEN 0 ELSE 1 END AS __o,
    try_cast(eventtime AS double) AS __o_2,
    array_join(transform(regexp_extract_all(eventtime, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), '') AS __o_3
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY eventid ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE eventid IS NULL OR copy_number = 1
  ) AS events
  ORDER BY CASE WHEN eventtime IS NULL THEN 2 WHEN try_cast(eventtime AS double) IS NULL THEN 0 ELSE 1 END DESC NULLS FIRST,
    try_cast(eventtime AS double) DESC NULLS FIRST,
    array_join(transform(regexp_extract_all(eventtime, '\d+|\D+'), p -> if(regexp_like(p, '^\d'), lpad(p, 30, '0'), p)), '') DESC NULLS FIRST
  LIMIT 3
) AS t
ORDER BY __o ASC NULLS LAST,
  __o_2 ASC NULLS LAST,
  __o_3 ASC NULLS LAST
