"""Runs SadTalker's own crop geometry (align_face in src/utils/croper.py) on the face-api.js
landmarks of face-api-fixtures.json and writes sadtalker-crop-fixtures.json for FaceCropTest.

Needs python3 with numpy and a SadTalker checkout (its file is read, not copied):
    python3 tools/face-fixtures/sadtalker-crop-fixtures.py /path/to/SadTalker
The function is taken from the file with `ast` so that SadTalker's heavy imports are not needed;
the picture is a stand-in object with a `.size` (align_face only reads sizes and resizes).
"""
import ast
import json
import pathlib
import sys

import numpy as np

root = pathlib.Path(__file__).resolve().parents[2]
croper = pathlib.Path(sys.argv[1]) / 'src' / 'utils' / 'croper.py'
tree = ast.parse(croper.read_text())
cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == 'Preprocesser')
fn = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == 'align_face')
module = ast.Module(body=[fn], type_ignores=[])


class Picture:  # what align_face needs of a PIL image
    def __init__(self, size):
        self.size = size

    def resize(self, size, _filter):
        return Picture(size)


class Image:
    ANTIALIAS = 1


scope = {'np': np, 'Image': Image}
exec(compile(module, str(croper), 'exec'), scope)
align_face = scope['align_face']

fixtures = json.loads((root / 'src/test/resources/face/face-api-fixtures.json').read_text())
cases = []
for image in fixtures['images']:
    for i, face in enumerate(image['ssd']):
        for factor in (1, 30):  # x30 makes SadTalker shrink the picture first
            lm = np.array(face['landmarks'], dtype=np.float64).reshape(68, 2) * factor
            size = (image['width'] * factor, image['height'] * factor)
            rsize, crop, quad = align_face(None, Picture(size), lm, output_size=512)
            cases.append({'file': image['file'], 'face': i, 'factor': factor, 'width': size[0], 'height': size[1],
                          'rsize': [int(v) for v in rsize], 'crop': [int(v) for v in crop],
                          'quad': [float(v) for v in quad]})
out = root / 'src/test/resources/face/sadtalker-crop-fixtures.json'
out.write_text(json.dumps({'generator': 'tools/face-fixtures/sadtalker-crop-fixtures.py',
                           'source': 'OpenTalker/SadTalker src/utils/croper.py Preprocesser.align_face',
                           'cases': cases}, indent=1) + '\n')
print(f'{len(cases)} cases -> {out}')
