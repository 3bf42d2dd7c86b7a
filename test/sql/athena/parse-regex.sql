SELECT agent,
  version,
  n
FROM (
  SELECT regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 1) AS agent,
    regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 2) AS version,
    count(*) AS n
  FROM (
    SELECT *
    FROM (
      SELECT *, row_number() OVER (PARTITION BY nullif(eventid, '') ORDER BY "$path") AS copy_number
      FROM cloudtrail_logs
    ) AS copies
    WHERE nullif(eventid, '') IS NULL OR copy_number = 1
  ) AS events
  WHERE regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 1) IS NOT NULL
  GROUP BY regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 1), regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 2)
) AS s
ORDER BY n DESC NULLS LAST
