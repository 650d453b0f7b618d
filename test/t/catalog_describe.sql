-- What the extension sdbc is, as sorted text lines, for the upgrade test
-- (test/t/006_upgrade.pl): a database that installed an earlier release and
-- was updated must print the same lines as one that installed the new
-- release.  pg_dump -s omits extension members, so the catalogs are read
-- directly.  Names only: no OIDs, which differ between the two databases.
\pset format unaligned
\pset pager off
\pset tuples_only on
\pset footer off

WITH ext AS (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'sdbc'),
nsp AS (SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE 'sdbc%'),
rel AS (SELECT c.*, n.nspname FROM pg_catalog.pg_class c JOIN nsp n ON n.oid = c.relnamespace),
lines(line) AS (
  -- the extension itself
  SELECT format('extension %s version %s relocatable %s schema %s',
                e.extname, e.extversion, e.extrelocatable, e.extnamespace::regnamespace)
    FROM pg_catalog.pg_extension e WHERE e.extname = 'sdbc'
  UNION ALL
  -- tables whose data pg_dump keeps (pg_extension_config_dump)
  SELECT format('config %s where %L', c.x::regclass, c.cond)
    FROM pg_catalog.pg_extension e,
         unnest(e.extconfig, e.extcondition) AS c(x, cond)
   WHERE e.extname = 'sdbc'
  UNION ALL
  -- every member object
  SELECT 'member ' || pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
    FROM pg_catalog.pg_depend d, ext
   WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
  UNION ALL
  -- schemas: owner, privileges, comment
  SELECT format('schema %s owner %s acl %s comment %L', n.nspname, n.nspowner::regrole, n.nspacl,
                pg_catalog.obj_description(n.oid, 'pg_namespace'))
    FROM pg_catalog.pg_namespace n JOIN nsp USING (oid)
  UNION ALL
  -- relations: kind, owner, privileges, options, row-level security, comment
  SELECT format('relation %s.%s kind %s owner %s acl %s options %s rls %s force %s comment %L',
                r.nspname, r.relname, r.relkind, r.relowner::regrole, r.relacl, r.reloptions,
                r.relrowsecurity, r.relforcerowsecurity, pg_catalog.obj_description(r.oid, 'pg_class'))
    FROM rel r
  UNION ALL
  -- columns in order, with type, nullability, identity, default, privileges, comment
  SELECT format('column %s.%s #%s %s %s notnull %s identity %L generated %L default %L acl %s comment %L',
                r.nspname, r.relname, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
                a.attnotnull, a.attidentity, a.attgenerated, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
                a.attacl, pg_catalog.col_description(r.oid, a.attnum))
    FROM rel r
    JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = r.oid AND ad.adnum = a.attnum
  UNION ALL
  -- dropped columns leave a hole in attnum; say how many a relation has
  SELECT format('relation %s.%s dropped columns %s', r.nspname, r.relname, count(*))
    FROM rel r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attisdropped
   GROUP BY r.nspname, r.relname
  UNION ALL
  SELECT format('constraint %s.%s %s: %s deferrable %s deferred %s comment %L',
                r.nspname, r.relname, co.conname, pg_catalog.pg_get_constraintdef(co.oid),
                co.condeferrable, co.condeferred, pg_catalog.obj_description(co.oid, 'pg_constraint'))
    FROM rel r JOIN pg_catalog.pg_constraint co ON co.conrelid = r.oid
  UNION ALL
  SELECT format('index %s comment %L', pg_catalog.pg_get_indexdef(i.indexrelid),
                pg_catalog.obj_description(i.indexrelid, 'pg_class'))
    FROM rel r JOIN pg_catalog.pg_index i ON i.indrelid = r.oid
  UNION ALL
  SELECT format('trigger %s enabled %s comment %L', pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled,
                pg_catalog.obj_description(t.oid, 'pg_trigger'))
    FROM rel r JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
  UNION ALL
  SELECT format('policy %s.%s %s cmd %s permissive %s roles %s using %s check %s comment %L',
                r.nspname, r.relname, p.polname, p.polcmd, p.polpermissive,
                (SELECT pg_catalog.string_agg(CASE WHEN x = 0 THEN 'public' ELSE x::regrole::text END, ',' ORDER BY 1)
                   FROM unnest(p.polroles) x),
                pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
                pg_catalog.obj_description(p.oid, 'pg_policy'))
    FROM rel r JOIN pg_catalog.pg_policy p ON p.polrelid = r.oid
  UNION ALL
  SELECT format('rule %s', pg_catalog.pg_get_ruledef(ru.oid))
    FROM rel r JOIN pg_catalog.pg_rewrite ru ON ru.ev_class = r.oid AND ru.rulename <> '_RETURN'
  UNION ALL
  SELECT format('view %s.%s: %s', r.nspname, r.relname, pg_catalog.pg_get_viewdef(r.oid))
    FROM rel r WHERE r.relkind IN ('v', 'm')
  UNION ALL
  SELECT format('sequence %s.%s %s start %s increment %s min %s max %s cache %s cycle %s',
                r.nspname, r.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart,
                s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
    FROM rel r JOIN pg_catalog.pg_sequence s ON s.seqrelid = r.oid
  UNION ALL
  -- functions: the whole definition (language, volatility, strictness,
  -- parallel safety, SET, SECURITY DEFINER, body), owner, privileges, comment
  SELECT format('function %s owner %s acl %s comment %L: %s', p.oid::regprocedure, p.proowner::regrole,
                p.proacl, pg_catalog.obj_description(p.oid, 'pg_proc'),
                CASE WHEN p.prokind = 'a' THEN 'aggregate'
                     ELSE pg_catalog.pg_get_functiondef(p.oid) END)
    FROM pg_catalog.pg_proc p JOIN nsp n ON n.oid = p.pronamespace
  UNION ALL
  SELECT format('aggregate %s transfn %s finalfn %s combinefn %s stype %s init %L',
                a.aggfnoid::regprocedure, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                pg_catalog.format_type(a.aggtranstype, NULL), a.agginitval)
    FROM pg_catalog.pg_aggregate a JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
    JOIN nsp n ON n.oid = p.pronamespace
  UNION ALL
  SELECT format('type %s kind %s category %s input %s output %s receive %s send %s typmod_in %s analyze %s len %s byval %s align %s storage %s acl %s comment %L',
                t.oid::regtype, t.typtype, t.typcategory, t.typinput, t.typoutput, t.typreceive, t.typsend,
                t.typmodin, t.typanalyze, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typacl,
                pg_catalog.obj_description(t.oid, 'pg_type'))
    FROM pg_catalog.pg_type t JOIN nsp n ON n.oid = t.typnamespace
  UNION ALL
  SELECT format('enum %s %s %s', t.oid::regtype, e.enumsortorder, e.enumlabel)
    FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
    JOIN nsp n ON n.oid = t.typnamespace
  UNION ALL
  SELECT format('domain constraint %s %s: %s', t.oid::regtype, co.conname, pg_catalog.pg_get_constraintdef(co.oid))
    FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_type t ON t.oid = co.contypid
    JOIN nsp n ON n.oid = t.typnamespace
  UNION ALL
  SELECT format('operator %s code %s commutator %s negator %s restrict %s join %s merges %s hashes %s comment %L',
                o.oid::regoperator, o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator,
                o.oprrest, o.oprjoin, o.oprcanmerge, o.oprcanhash,
                pg_catalog.obj_description(o.oid, 'pg_operator'))
    FROM pg_catalog.pg_operator o JOIN nsp n ON n.oid = o.oprnamespace
  UNION ALL
  SELECT format('opclass %s %s for %s default %s family %s', am.amname, oc.opcname,
                oc.opcintype::regtype, oc.opcdefault, of.opfname)
    FROM pg_catalog.pg_opclass oc JOIN nsp n ON n.oid = oc.opcnamespace
    JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod
    JOIN pg_catalog.pg_opfamily of ON of.oid = oc.opcfamily
  UNION ALL
  SELECT format('opfamily %s %s %s', am.amname, of.opfname, pg_catalog.pg_describe_object(d.classid, d.objid, 0))
    FROM pg_catalog.pg_opfamily of JOIN nsp n ON n.oid = of.opfnamespace
    JOIN pg_catalog.pg_am am ON am.oid = of.opfmethod
    JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_opfamily'::regclass AND d.refobjid = of.oid
     AND d.classid IN ('pg_catalog.pg_amop'::regclass, 'pg_catalog.pg_amproc'::regclass)
  UNION ALL
  SELECT format('cast %s as %s via %s context %s method %s', c.castsource::regtype, c.casttarget::regtype,
                c.castfunc::regprocedure, c.castcontext, c.castmethod)
    FROM pg_catalog.pg_cast c
   WHERE EXISTS (SELECT FROM pg_catalog.pg_type t JOIN nsp n ON n.oid = t.typnamespace
                  WHERE t.oid IN (c.castsource, c.casttarget))
  UNION ALL
  SELECT format('statistics %s: %s', s.stxname, pg_catalog.pg_get_statisticsobjdef(s.oid))
    FROM pg_catalog.pg_statistic_ext s JOIN nsp n ON n.oid = s.stxnamespace
  UNION ALL
  -- the privileges pg_dump takes as the extension's own (pg_init_privs)
  SELECT format('init privs %s %s', pg_catalog.pg_describe_object(i.classoid, i.objoid, i.objsubid), i.initprivs)
    FROM pg_catalog.pg_init_privs i
    JOIN pg_catalog.pg_depend d ON d.classid = i.classoid AND d.objid = i.objoid AND d.deptype = 'e'
    JOIN ext ON d.refobjid = ext.oid AND d.refclassid = 'pg_catalog.pg_extension'::regclass
  UNION ALL
  -- the roles the extension ships (cluster-wide) and what they are members of
  SELECT format('role %s login %s inherit %s super %s bypassrls %s createrole %s member of %s comment %L',
                r.rolname, r.rolcanlogin, r.rolinherit, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
                (SELECT pg_catalog.string_agg(m.roleid::regrole::text, ',' ORDER BY 1)
                   FROM pg_catalog.pg_auth_members m WHERE m.member = r.oid),
                pg_catalog.shobj_description(r.oid, 'pg_authid'))
    FROM pg_catalog.pg_roles r WHERE r.rolname LIKE 'sdbc\_%'
  UNION ALL
  -- the shipped rows: every table's row count and a checksum of its rows,
  -- leaving out the columns that record when they were written (install time)
  SELECT format('rows %s.%s %s (not compared: %s)', r.nspname, r.relname,
                (xpath('//row/c/text()',
                       pg_catalog.query_to_xml(format(
                         'SELECT count(*) || '' md5 '' || coalesce(md5(string_agg((to_jsonb(t) - %L::text[])::text, E''\n'' ORDER BY (to_jsonb(t) - %L::text[])::text)), ''-'') AS c FROM %I.%I t',
                         w.cols, w.cols, r.nspname, r.relname), false, false, '')))[1]::text,
                w.cols)
    FROM rel r,
         LATERAL (SELECT coalesce(pg_catalog.array_agg(a.attname::text ORDER BY a.attnum), '{}') AS cols
                    FROM pg_catalog.pg_attribute a
                    JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                   WHERE a.attrelid = r.oid
                     AND pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
                         ~ '(now|clock_timestamp|statement_timestamp|transaction_timestamp)\(\)|CURRENT_(TIMESTAMP|DATE)') w
   WHERE r.relkind IN ('r', 'p')
  UNION ALL
  SELECT format('sequence value %s.%s %s %s', r.nspname, r.relname, s.last_value, s.is_called)
    FROM rel r, LATERAL (SELECT * FROM pg_catalog.pg_sequence_last_value(r.oid) AS v(last_value)) v0,
         LATERAL (SELECT v0.last_value, v0.last_value IS NOT NULL AS is_called) s
   WHERE r.relkind = 'S'
)
SELECT line FROM lines ORDER BY line COLLATE "C";
