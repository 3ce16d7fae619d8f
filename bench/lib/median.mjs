// Shared by the benchmarks: each reports the median of its runs.

/**
 * The middle value of a non-empty list (the upper middle one for an even count).
 * @param {number[]} values
 * @returns {number}
 */
export function median(values) {
  return /** @type {number} */ ([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
}
