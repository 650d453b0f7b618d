# A county loads its real data as docs/loading.md says (issue 15 §6): the
# page's command block — ogr2ogr of a GeoPackage and a shapefile into a
# staging schema, \copy of the registry's CSV files, load_divisions.sql and
# load_registry.sql — run as it stands on the sample in test/data
# (make_county_sample.py), then every row is checked in sdbc: boundaries,
# buildings in their communities, households in their buildings and grids,
# residents with their ID numbers, grids drawn.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $top = abs_path(dirname(__FILE__) . '/../..');
ok((grep { -x "$_/ogr2ogr" } split /:/, $ENV{PATH}), 'ogr2ogr is installed (Debian gdal-bin)')
  or BAIL_OUT('ogr2ogr missing: test/run.sh installs gdal-bin');

# the command block of docs/loading.md (the only ```sh block of the page)
my $doc = slurp_file("$top/docs/loading.md");
my ($block) = $doc =~ /^```sh\n(.*?)^```$/ms;
ok(defined $block && $block =~ /load_registry\.sql/, 'docs/loading.md has its command block');

# the sample files are what make_county_sample.py writes
my $regen = PostgreSQL::Test::Utils::tempdir();
system('python3', "$top/test/data/make_county_sample.py", $regen) == 0 or die 'make_county_sample.py failed';
for my $f (qw(county_sample_divisions.csv county_sample_communities.geojson county_sample_buildings.geojson
              county_sample_households.csv county_sample_residents.csv))
{
	is(slurp_file("$regen/$f"), slurp_file("$top/test/data/$f"), "test/data/$f is what make_county_sample.py writes");
}

my $node = PostgreSQL::Test::Cluster->new('county');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE county');
$node->safe_psql('county', 'SET client_min_messages = warning; CREATE EXTENSION sdbc CASCADE');

my $work = PostgreSQL::Test::Utils::tempdir();
local $ENV{PGHOST} = $node->host;
local $ENV{PGPORT} = $node->port;
local $ENV{PGDATABASE} = 'county';
local $ENV{WORK} = $work;
my ($out, $err);
my $ok = IPC::Run::run([ 'sh', '-e', '-x', '-c', "cd '$top' && $block" ], '>', \$out, '2>', \$err);
ok($ok, 'the command block of docs/loading.md runs to its end') or diag("stdout:\n$out\nstderr:\n$err");
ok(-s "$work/county.gpkg" && -s "$work/buildings.shp", 'it read a GeoPackage and a shapefile');
like($out, qr/^\s+2 \|\s+12 \|\s+60 \|\s+124$/m, 'load_registry.sql prints what it loaded, as the page shows');

# what arrived, file by file (the checks below name sdbc's operators unqualified)
$node->safe_psql('postgres', 'ALTER DATABASE county SET search_path = sdbc, public');
my $csv_rows = sub { my @l = split /\n/, slurp_file("$top/test/data/$_[0]"); return scalar(@l) - 1; };
is($node->safe_psql('county', q{SELECT count(*) FROM sdbc.division WHERE code <@ '652901001'}), '3',
   'divisions: the street and its two communities');
is($node->safe_psql('county', q{
  SELECT string_agg(code::text || ':' || round(ST_Area(boundary)::numeric, 6), ',' ORDER BY code)
    FROM sdbc.division WHERE boundary IS NOT NULL}),
   '652901001001:0.000120,652901001002:0.000120', 'boundaries: both communities, in CGCS2000 degrees');
is($node->safe_psql('county', q{SELECT count(*) FROM sdbc.building b JOIN sdbc.division d ON d.code = b.community
                                WHERE ST_Within(b.location, d.boundary) AND ST_SRID(b.location) = 4490}),
   '12', 'buildings: all 12 inside their community, SRID 4490');
is($node->safe_psql('county', q{SELECT address FROM sdbc.building WHERE community = '652901001002' ORDER BY address LIMIT 1}),
   '友谊路1号', 'buildings: the Chinese address came through the shapefile (UTF-8)');
is($node->safe_psql('county', 'SELECT count(*) FROM sdbc.household'), $csv_rows->('county_sample_households.csv'),
   'households: every row of the CSV');
is($node->safe_psql('county', q{SELECT count(*) FROM sdbc.building b
                                WHERE b.households <> (SELECT count(*) FROM sdbc.household h WHERE h.building_id = b.building_id)}),
   '0', 'buildings: the household count of each is the registry\'s');
is($node->safe_psql('county', 'SELECT count(*) FROM sdbc.resident'), $csv_rows->('county_sample_residents.csv'),
   'residents: every row of the CSV');
is($node->safe_psql('county', q{SELECT count(*) FILTER (WHERE id_number IS NOT NULL) || '/' || count(*) FILTER (WHERE key_population)
                                || '/' || count(*) FILTER (WHERE floating) FROM sdbc.resident}),
   '124/7/' . (() = slurp_file("$top/test/data/county_sample_residents.csv") =~ /,true,(?:true|false),/g),
   'residents: ID numbers, key population (R12.1) and floating as the CSV says');
is($node->safe_psql('county', q{SELECT count(*) FROM sdbc.household h JOIN sdbc.building b USING (building_id)
                                WHERE b.grid_code IS NULL}), '0', 'grids drawn: every household is in a grid (R7.4)');
is($node->safe_psql('county', q{SELECT count(*) FROM sdbc.grid_layer WHERE name IS NOT NULL}),
   $node->safe_psql('county', 'SELECT count(*) FROM sdbc.grid WHERE valid_to IS NULL'),
   'the grid layer shows the new grids with their names');
is($node->safe_psql('county', q{SELECT count(*) FROM pg_namespace WHERE nspname = 'staging'}), '0',
   'the staging schema is gone');

# a household that names no building stops the whole load
my $bad = "$work/bad_households.csv";
open my $fh, '>', $bad or die;
print $fh "community,address,unit,registration,rental\n652901001001,无此楼,1-101,registered,false\n";
close $fh;
my $no_residents = "$work/no_residents.csv";
open $fh, '>', $no_residents or die;
print $fh "community,address,unit,name,id_number,floating,key_population,key_reason\n";
close $fh;
$node->safe_psql('county', q{
  CREATE SCHEMA staging;
  CREATE TABLE staging.community (code text, geom geometry);
  CREATE TABLE staging.building (community text, address text, geom geometry);});
my ($rc, $o2, $e2) = $node->psql('county', "\\i $top/test/data/load_registry.sql", extra_params => [ '-v', "households=$bad",
	'-v', "residents=$no_residents" ]);
like($e2, qr/1 household\(s\) name no building/, 'a household whose building is not in the layer stops the load');
is($node->safe_psql('county', 'SELECT count(*) FROM sdbc.household'), $csv_rows->('county_sample_households.csv'),
   'and nothing of it is loaded');

$node->stop;
done_testing();
