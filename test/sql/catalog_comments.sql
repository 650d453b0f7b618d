-- Every object of the extension explains itself (\dx+, \df+, \d+): tables,
-- views, their columns, functions, types and operators all carry a comment.
SELECT c.relkind, c.relname
  FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'sdbc'
 WHERE c.relkind IN ('r', 'v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL
 ORDER BY 2;
SELECT c.relname, a.attname
  FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'sdbc'
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'v', 'm') AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1, 2;
SELECT p.oid::regprocedure AS function_without_comment
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'sdbc'
 WHERE obj_description(p.oid, 'pg_proc') IS NULL
 ORDER BY 1::text;
SELECT t.typname AS type_without_comment
  FROM pg_type t JOIN pg_depend d ON d.objid = t.oid AND d.classid = 'pg_type'::regclass AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'sdbc'
 WHERE obj_description(t.oid, 'pg_type') IS NULL;
SELECT o.oid::regoperator AS operator_without_comment
  FROM pg_operator o JOIN pg_depend d ON d.objid = o.oid AND d.classid = 'pg_operator'::regclass AND d.deptype = 'e'
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'sdbc'
 WHERE obj_description(o.oid, 'pg_operator') IS NULL
 ORDER BY 1::text;
