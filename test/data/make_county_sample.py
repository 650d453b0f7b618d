#!/usr/bin/env python3
"""make_county_sample.py — write the small county sample that docs/loading.md
loads (and test/t/009_load_county_files.pl tests): two communities of 兰干街道
in Aksu city with their boundaries, buildings, households and residents.

The files are what a county has, in the formats it has them in (the GIS
office's layers as GeoJSON here — the test turns them into the GeoPackage
and shapefile a county would hand over — and the registry as CSV):

  county_sample_divisions.csv    code,name of the divisions (load_divisions.sql)
  county_sample_communities.geojson  community boundaries (code, name)
  county_sample_buildings.geojson    building points (community, address)
  county_sample_households.csv   community,address,unit,registration,rental
  county_sample_residents.csv    community,address,unit,name,id_number,floating,key_population,key_reason

Deterministic (no randomness): run it again and the files are the same.
Coordinates are CGCS2000 longitude/latitude (EPSG:4490), as in sdbc.
Usage: python3 test/data/make_county_sample.py [output directory]
"""
import csv
import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
COMMUNITIES = [('652901001001', '前进社区', 80.250), ('652901001002', '友谊社区', 80.262)]
SURNAMES = ['王', '李', '张', '刘', '陈']
GIVEN = ['建国', '秀英', '海燕', '明', '伟', '芳', '丽', '军', '霞', '强']
UYGHUR = ['艾买提·艾力', '阿不都·热合曼', '买买提·努尔', '古丽·阿依', '吐尔逊·吐尔洪']
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(birth, seq):
    """An 18-digit resident ID number of Aksu city (652901) with its check digit (GB 11643)."""
    body = '652901%s%03d' % (birth, seq)
    return body + '10X98765432'[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def main():
    with open(os.path.join(OUT, 'county_sample_divisions.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['code', 'name'])
        for row in [('65', '新疆维吾尔自治区'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
                    ('652901001', '兰干街道')] + [(c, n) for c, n, _ in COMMUNITIES]:
            w.writerow(row)
    communities, buildings, households, residents = [], [], [], []
    person = 0
    for code, name, x0 in COMMUNITIES:
        ring = [[x0, 41.160], [x0 + 0.012, 41.160], [x0 + 0.012, 41.170], [x0, 41.170], [x0, 41.160]]
        communities.append({'type': 'Feature', 'properties': {'code': code, 'name': name},
                            'geometry': {'type': 'Polygon', 'coordinates': [ring]}})
        for b in range(6):
            address = '%s路%d号' % (name[:2], b + 1)
            x = round(x0 + 0.002 + (b % 3) * 0.004, 6)
            y = round(41.1625 + (b // 3) * 0.005, 6)
            buildings.append({'type': 'Feature', 'properties': {'community': code, 'address': address},
                              'geometry': {'type': 'Point', 'coordinates': [x, y]}})
            for u in range(4 + (b * 3 + len(buildings)) % 3):
                unit = '%d-%d01' % (u // 2 + 1, u % 2 + 1)
                floating = (b + u) % 5 == 0
                households.append([code, address, unit, 'floating' if floating else 'registered',
                                   'true' if floating or u == 3 else 'false'])
                for p in range(1 + (b + 2 * u) % 3):
                    person += 1
                    birth = '%04d%02d%02d' % (1950 + person * 7 % 55, 1 + person % 12, 1 + person * 3 % 28)
                    key = person % 17 == 0
                    residents.append([code, address, unit,
                                      UYGHUR[person % 5] if person % 2 else SURNAMES[person % 5] + GIVEN[(person * 3) % 10],
                                      id_number(birth, 100 + person), 'true' if floating else 'false',
                                      'true' if key else 'false', '社区矫正' if key else ''])
    for fname, feats in (('county_sample_communities.geojson', communities),
                         ('county_sample_buildings.geojson', buildings)):
        with open(os.path.join(OUT, fname), 'w', encoding='utf-8') as f:
            json.dump({'type': 'FeatureCollection', 'features': feats}, f, ensure_ascii=False, indent=1)
            f.write('\n')
    with open(os.path.join(OUT, 'county_sample_households.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['community', 'address', 'unit', 'registration', 'rental'])
        w.writerows(households)
    with open(os.path.join(OUT, 'county_sample_residents.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['community', 'address', 'unit', 'name', 'id_number', 'floating', 'key_population', 'key_reason'])
        w.writerows(residents)


if __name__ == '__main__':
    main()
