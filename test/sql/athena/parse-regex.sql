SELECT agent,
  version,
  n
FROM (
  SELECT regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 1) AS agent,
    regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 2) AS version,
    count(*) AS n
  FROM cloudtrail_logs
  WHERE regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 1) IS NOT NULL
  GROUP BY regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 1), regexp_extract(useragent, '^([A-Za-z0-9_.-]+)/([0-9][0-9.]*)', 2)
) AS s
ORDER BY n DESC NULLS LAST
