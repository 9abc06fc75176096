#!/usr/bin/python3
"""OWSLib (Debian python3-owslib) as an independent OGC client against the thuegate sandbox.

Usage: check_sandbox.py GEOMIS_CSW_URL GEOPROXY_ROOT_URL
Prints one JSON object with what OWSLib read; any exception (OWSLib refusing an answer) exits non-zero.
The vitest driver (test/upstreams/geomis/owslib-sandbox.test.ts) compares the values with the sandbox world.
"""
import json
import sys
import warnings

warnings.simplefilter("ignore", FutureWarning)  # OWSLib announces API changes; not about our answers

from owslib.csw import CatalogueServiceWeb
from owslib.fes import PropertyIsEqualTo
from owslib.wfs import WebFeatureService
from owslib.wms import WebMapService

CSW_SCHEMA = 'http://www.opengis.net/cat/csw/2.0.2'
GMD_SCHEMA = 'http://www.isotc211.org/2005/gmd'


def csw_checks(url):
    csw = CatalogueServiceWeb(url, version='2.0.2', timeout=30)
    out = {
        'type': csw.identification.type,
        'version': csw.version,
        'title': csw.identification.title,
        'provider': csw.provider.name,
        'contactEmail': csw.provider.contact.email,
        'operations': sorted(op.name for op in csw.operations),
        'outputSchemas': csw.get_operation_by_name('GetRecords').parameters['outputSchema']['values'],
    }
    services = PropertyIsEqualTo('apiso:Type', 'service')

    # Dublin Core, paging with startPosition/nextRecord until nextRecord = 0
    ids, titles, pages, start = [], [], 0, 1
    while True:
        csw.getrecords2(constraints=[services], esn='summary', outputschema=CSW_SCHEMA, typenames='csw:Record',
                        startposition=start, maxrecords=4, resulttype='results')
        pages += 1
        for rid, rec in csw.records.items():
            ids.append(rec.identifier)
            titles.append(rec.title)
        nxt = csw.results['nextrecord']
        if not nxt or pages > 50:
            break
        start = nxt
    out['dc'] = {'matched': csw.results['matches'], 'pages': pages, 'ids': ids, 'titles': titles}

    # ISO 19139 (gmd), one page, full
    csw.getrecords2(constraints=[services], esn='full', outputschema=GMD_SCHEMA, typenames='gmd:MD_Metadata',
                    startposition=1, maxrecords=3, resulttype='results')
    out['iso'] = {
        'matched': csw.results['matches'],
        'returned': csw.results['returned'],
        'ids': [rec.identifier for rec in csw.records.values()],
        'titles': [rec.identificationinfo[0].title for rec in csw.records.values()],
    }

    first = ids[0]
    csw.getrecordbyid(id=[first])  # default outputSchema: csw (Dublin Core)
    dc = csw.records[first]
    csw.getrecordbyid(id=[first], esn='full', outputschema=GMD_SCHEMA)
    iso = csw.records[first]
    out['byId'] = {'id': first, 'dcTitle': dc.title, 'dcType': dc.type, 'isoTitle': iso.identificationinfo[0].title,
                   'isoType': iso.hierarchy}
    return out


def wms_checks(url, version):
    wms = WebMapService(url, version=version, timeout=30)
    layers = {}
    for name, layer in wms.contents.items():
        layers[name] = {'title': layer.title, 'bbox': list(layer.boundingBoxWGS84) if layer.boundingBoxWGS84 else None}
    return {'version': wms.version, 'title': wms.identification.title, 'layers': layers,
            'getMapFormats': wms.getOperationByName('GetMap').formatOptions}


def wfs_checks(url, version):
    wfs = WebFeatureService(url, version=version, timeout=30)
    types = {}
    for name, ft in wfs.contents.items():
        types[name] = {'title': ft.title, 'bbox': list(ft.boundingBoxWGS84[:4]) if ft.boundingBoxWGS84 else None}
    return {'version': wfs.version, 'title': wfs.identification.title, 'featureTypes': types,
            'operations': sorted(op.name for op in wfs.operations)}


def main():
    csw_url, geoproxy = sys.argv[1], sys.argv[2].rstrip('/')
    result = {
        'csw': csw_checks(csw_url),
        'wms130': wms_checks(geoproxy + '/DOP', '1.3.0'),
        'wms111': wms_checks(geoproxy + '/DOP', '1.1.1'),
        'wfs200': wfs_checks(geoproxy + '/kommunal/komm_wfs', '2.0.0'),
        'wfs110': wfs_checks(geoproxy + '/STRNETZ_wfs', '1.1.0'),
    }
    json.dump(result, sys.stdout)


if __name__ == '__main__':
    main()
