import type { AlgorithmInfo } from '@procvision/sdk';

/** What `getInfo()` returns: must agree with manifest.json (name, version, supported_pids). */
export const algorithmInfo: AlgorithmInfo = {
  name: 'algorithm-example',
  version: '1.0.0',
  description: 'Locates a board and checks its top-left screw by looking at the pixels.',
  supported_pids: ['p001', 'p002'],
  steps: [
    {
      index: 1,
      name: 'locate board',
      description: 'Find the board and look for dark spots inside the region of interest.',
      params: [
        { key: 'roi', type: 'rect', required: true, description: 'Region of the board to inspect for dark spots' },
        { key: 'exposure', type: 'float', min: 8, max: 16, default: 12.5, unit: 'ms', description: 'Camera exposure the brightness check expects' },
      ],
    },
    {
      index: 2,
      name: 'check top-left screw',
      description: 'Check that the top-left screw of the board is present.',
      params: [
        { key: 'threshold', type: 'float', min: 0.5, max: 0.9, default: 0.7, description: 'A pixel is dark below threshold x the area mean' },
        { key: 'mode', type: 'enum', choices: ['fast', 'accurate'], default: 'fast', description: 'fast looks at every 2nd pixel, accurate at every pixel' },
      ],
    },
  ],
};
