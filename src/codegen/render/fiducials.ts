/**
 * Fiducial ring around an outside secure graphic: 12 small square markers, 4
 * per side including the corners, evenly spaced, separated from the pattern by
 * a white gap. The bottom-right corner marker has a white centre so a scanner
 * can tell the orientation.
 */
import type { DotSquare, FiducialMarker } from './types.js';

export interface FiducialRing {
  /** Square enclosing the markers (and the pattern). */
  box: DotSquare;
  markers: FiducialMarker[];
  markerSize: number;
  gap: number;
}

/** Marker side for a pattern of the given size in dots: about 1/12 of it, at least 3 dots. */
export function fiducialMarkerSize(patternDots: number): number {
  return Math.max(3, Math.round(patternDots / 12));
}

/** Distance in dots from the pattern edge to the outer edge of the ring. */
export function fiducialMargin(patternDots: number): number {
  return 2 * fiducialMarkerSize(patternDots);
}

/** Builds the ring for a pattern whose top-left dot is (x, y). */
export function fiducialRing(x: number, y: number, patternDots: number): FiducialRing {
  const markerSize = fiducialMarkerSize(patternDots);
  const gap = markerSize;
  const margin = markerSize + gap;
  const box: DotSquare = { x: x - margin, y: y - margin, size: patternDots + 2 * margin };
  const span = box.size - markerSize;
  const offsets = [0, 1, 2, 3].map((i) => Math.round((i * span) / 3));
  const inset = Math.floor(markerSize / 3);
  const markers: FiducialMarker[] = [];
  offsets.forEach((oy, j) => {
    offsets.forEach((ox, i) => {
      if (i !== 0 && i !== 3 && j !== 0 && j !== 3) return;
      const mx = box.x + ox;
      const my = box.y + oy;
      const orientation = i === 3 && j === 3;
      markers.push({
        x: mx,
        y: my,
        size: markerSize,
        whiteCentre: orientation ? { x: mx + inset, y: my + inset, size: markerSize - 2 * inset } : null,
      });
    });
  });
  return { box, markers, markerSize, gap };
}
