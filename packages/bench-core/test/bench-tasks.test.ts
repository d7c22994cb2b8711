import { describe, expect, it } from 'vitest';
import { BENCH_TASKS, benchTask } from '@polyinfer/bench-core';

describe('task parity can fail', () => {
  const detections = [
    { box: [10, 10, 110, 60], score: 0.9, classId: 0 },
    { box: [200, 40, 260, 120], score: 0.5, classId: 3 },
  ];
  const detect = benchTask('detect');

  it('detect: the same boxes pass; a shifted box, another class, a missing box or another score fail', () => {
    expect(detect.parity({ 'a.png': detections }, { 'a.png': detections })).toEqual({ pass: true });
    const shifted = [detections[0], { ...detections[1], box: [215, 40, 275, 120] }];
    expect(detect.parity({ 'a.png': shifted }, { 'a.png': detections })).toMatchObject({
      pass: false,
      problem: expect.stringMatching(/^a\.png: detection 1's box overlaps the reference's by IoU 0\.6/),
    });
    expect(
      detect.parity({ 'a.png': [detections[0], { ...detections[1], classId: 4 }] }, { 'a.png': detections }),
    ).toMatchObject({ pass: false, problem: "a.png: detection 1 is class 4, the reference's 3" });
    expect(detect.parity({ 'a.png': [detections[0]] }, { 'a.png': detections })).toMatchObject({
      pass: false,
      problem: 'a.png: 1 detections where the reference has 2',
    });
    expect(
      detect.parity({ 'a.png': [detections[0], { ...detections[1], score: 0.51 }] }, { 'a.png': detections }),
    ).toMatchObject({ pass: false });
    expect(detect.parity({}, { 'a.png': detections })).toMatchObject({ pass: false, problem: 'a.png: no result' });
  });

  it('classify: the same top classes pass; another top class or a score beyond 1e-3 fail', () => {
    const classes = [
      { index: 2, score: 0.6 },
      { index: 0, score: 0.3 },
    ];
    const classify = benchTask('classify');
    expect(classify.parity({ x: classes }, { x: classes })).toEqual({ pass: true });
    expect(classify.parity({ x: [classes[1], classes[0]] }, { x: classes })).toMatchObject({
      pass: false,
      problem: "x: top class 0, the reference's 2",
    });
    expect(classify.parity({ x: [classes[0], { index: 0, score: 0.302 }] }, { x: classes })).toMatchObject({
      pass: false,
    });
  });

  it('ocr: text equal to the reference passes; the character error rate is against the ground truth', () => {
    const ocr = benchTask('ocr');
    expect(ocr.parity({ 'r.png': ['TOTAL 9.99'] }, { 'r.png': ['TOTAL 9.99'] }, { 'r.png': ['TOTAL 9.99'] })).toEqual({
      pass: true,
      textMatches: true,
      cer: 0,
    });
    expect(ocr.parity({ 'r.png': ['TOTAL 9.98'] }, { 'r.png': ['TOTAL 9.99'] }, { 'r.png': ['TOTAL 9.99'] })).toEqual({
      pass: false,
      textMatches: false,
      cer: 0.1,
    });
  });

  it('names an unknown task', () => {
    expect(() => benchTask('segment')).toThrow('no benchmark task "segment" (tasks: ocr, detect, classify)');
    expect(Object.keys(BENCH_TASKS)).toEqual(['ocr', 'detect', 'classify']);
  });
});
