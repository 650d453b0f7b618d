# Grids, communities and buildings are ordinary PostGIS layers: a GIS client
# (GDAL's ogr2ogr, as QGIS and web maps use) reads them and writes GeoJSON
# with every feature and its attributes (R7).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use JSON::PP;

my ($ogr_dir) = grep { -x "$_/ogr2ogr" } split /:/, $ENV{PATH};
my $ogr2ogr = defined $ogr_dir ? "$ogr_dir/ogr2ogr" : '';
ok($ogr2ogr ne '', 'ogr2ogr is installed (Debian gdal-bin)')
  or BAIL_OUT('ogr2ogr missing: test/run.sh installs gdal-bin');

my $node = PostgreSQL::Test::Cluster->new('gis');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
  CREATE EXTENSION sdbc CASCADE;
  SET search_path = sdbc, public;
  INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
    ('652901001', '兰干街道');
  INSERT INTO division (code, name, boundary) VALUES
    ('652901001001', '前进社区', ST_Multi(ST_GeomFromText('POLYGON((80.250 41.160, 80.262 41.160, 80.262 41.170, 80.250 41.170, 80.250 41.160))', 4490))),
    ('652901001002', '友谊社区', ST_Multi(ST_GeomFromText('POLYGON((80.262 41.160, 80.274 41.160, 80.274 41.170, 80.262 41.170, 80.262 41.160))', 4490)));
  INSERT INTO building (community, address, households, location)
  SELECT c, format('%s-%s', i, j), 5 + (i * 7 + j * 3) % 20,
         ST_SetSRID(ST_MakePoint(x0 + 0.0004 + i * 0.0008, 41.1604 + j * 0.0008), 4490)
    FROM (VALUES ('652901001001'::divcode, 80.250), ('652901001002', 80.262)) v(c, x0),
         generate_series(0, 14) i, generate_series(0, 11) j;
  INSERT INTO household (building_id) SELECT building_id FROM building, generate_series(1, households);
  SELECT count(*) FROM grid_draw_all('652901001');
});
my $grids = $node->safe_psql('postgres', 'SELECT count(*) FROM sdbc.grid WHERE valid_to IS NULL');
cmp_ok($grids, '>', 2, "grids drawn ($grids)");

my $dir = $node->basedir;
my $conn = 'PG:host=' . $node->host . ' port=' . $node->port . ' dbname=postgres';
for my $layer (['sdbc.grid', $grids], ['sdbc.division', 6], ['sdbc.building', 360])
{
	my ($table, $want) = @$layer;
	my $out = "$dir/$table.geojson";
	my @fid = $table eq 'sdbc.grid' ? ('-preserve_fid') : ();
	my $rc = system($ogr2ogr, '-f', 'GeoJSON', @fid, $out, $conn, $table);
	is($rc, 0, "ogr2ogr exports $table");
	open my $fh, '<', $out or die "cannot read $out: $!";
	local $/;
	my $doc = decode_json(<$fh>);
	close $fh;
	is(scalar @{ $doc->{features} }, $want, "$table: every feature exported");
	ok((grep { defined $_->{geometry} } @{ $doc->{features} }) > 0, "$table: features carry geometry");
}

# A grid feature carries its code, community and class.
open my $fh, '<', "$dir/sdbc.grid.geojson" or die;
my $doc = do { local $/; decode_json(<$fh>) };
close $fh;
# (the primary key becomes the GeoJSON feature id with -preserve_fid)
my ($first) = sort { $a->{id} <=> $b->{id} } @{ $doc->{features} };
is($first->{id}, '652901001001001', 'first grid code is the feature id');
is($first->{properties}{community}, '652901001001', 'grid community attribute');
is($first->{properties}{class}, 'routine', 'grid class attribute');
is($first->{geometry}{type}, 'Polygon', 'grid geometry is a polygon');

# The grid layer for GIS users (issue 15 §6): sdbc.grid_layer, exported as
# README "For GIS users" shows, to a GeoPackage, keeps grid_code and the
# grid's name as ordinary attributes (no -preserve_fid needed).
my $gpkg = "$dir/grids.gpkg";
is(system($ogr2ogr, '-f', 'GPKG', $gpkg, $conn, 'sdbc.grid_layer', '-nln', 'grids'), 0,
   'ogr2ogr exports sdbc.grid_layer to a GeoPackage');
my ($ogrinfo) = grep { -x $_ } map { "$_/ogrinfo" } split /:/, $ENV{PATH};
my $info = `$ogrinfo -ro -al -q $gpkg 2>&1`;
my @codes = $info =~ /^\s*grid_code \(String\) = (\d+)$/mg;
my @names = $info =~ /^\s*name \(String\) = (\S+)$/mg;
is(scalar @codes, $grids, 'GeoPackage: every grid carries grid_code as an attribute');
is(scalar @names, $grids, 'GeoPackage: every grid carries its name');
my %name_of;
@name_of{@codes} = @names;
is($name_of{'652901001001001'}, '第1网格', 'GeoPackage: grid 652901001001001 is named 第1网格');
like($info, qr/^\s*community_name \(String\) = 前进社区$/m, 'GeoPackage: the community\'s name');
like($info, qr/^\s*street_name \(String\) = 兰干街道$/m, 'GeoPackage: the street\'s name');
like($info, qr/^\s*county_name \(String\) = 阿克苏市$/m, 'GeoPackage: the county\'s name');
like(scalar `$ogrinfo -ro -so $gpkg grids 2>&1`, qr/Geometry: Polygon/, 'GeoPackage: a polygon layer');
# every name comes from grid_draw: 第N网格 with N the code's last three digits
is($node->safe_psql('postgres', q{
  SELECT count(*) FROM sdbc.grid WHERE name IS DISTINCT FROM format('第%s网格', grid_code % 1000)}), '0',
   'grid_draw names every new grid 第N网格 after its sequence');

$node->stop;
done_testing();
