package org.prunelab.core.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SoftmaxTest {
    /** Row-wise softmax in double precision: the reference. */
    private static double[] reference(float[] z, int offset, int rows, int classes) {
        double[] p = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[offset + r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[offset + r * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = Math.exp(z[offset + r * classes + c] - max) / sum;
            }
        }
        return p;
    }

    @Test
    void aClassMajorTileGivesTheRowWiseResultsBitForBit() {
        Random random = new Random(5);
        // whole vectors of rows are written out by gathers whose map depends on the width and the classes: they
        // change from one call to the next here
        for (int width : new int[] {16, 64, 128}) {
            for (int rows : new int[] {1, 15, 16, 17, 33, width}) {
                for (int classes : new int[] {10, 3}) {
                    if (rows > width) {
                        continue;
                    }
                    int at = 12;
                    float[] z = new float[rows * classes];
                    float[] tile = new float[at + classes * width];
                    for (int i = 0; i < tile.length; i++) {
                        tile[i] = (float) (random.nextGaussian() * 30); // columns past rows too: computed, not written
                    }
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < classes; c++) {
                            z[r * classes + c] = tile[at + c * width + r];
                        }
                    }
                    InferenceForm.softmax(z, 0, rows, classes);
                    float[] out = new float[2 + rows * classes + 2];
                    java.util.Arrays.fill(out, -1f);
                    Softmax.columns(tile, at, width, rows, classes, out, 2);
                    assertArrayEquals(z, java.util.Arrays.copyOfRange(out, 2, 2 + rows * classes),
                            rows + " rows of " + classes + " classes in a " + width + "-wide tile");
                    assertEquals(-1f, out[1], "nothing written before the rows");
                    assertEquals(-1f, out[2 + rows * classes], "nothing written after them");
                }
            }
        }
    }

    @Test
    void matchesTheDoublePrecisionSoftmaxForShortAndLongRows() {
        Random random = new Random(3);
        // 10 classes (MNIST's) and 37 (rows longer than a vector, ending off a vector); a block past an offset, and
        // row counts that leave a tail shorter than a vector
        for (int classes : new int[] {10, 37, 1}) {
            for (int rows : new int[] {1, 7, 129}) {
                int offset = 3;
                float[] z = new float[offset + rows * classes + 5];
                for (int i = 0; i < z.length; i++) {
                    z[i] = (float) (random.nextGaussian() * 30); // logits up to ~+-100: exp overflows unshifted
                }
                float[] before = z.clone();
                double[] want = reference(z, offset, rows, classes);
                InferenceForm.softmax(z, offset, rows, classes);
                for (int r = 0; r < rows; r++) {
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        int at = offset + r * classes + c;
                        assertEquals(want[r * classes + c], z[at], 1e-6, classes + " classes, row " + r);
                        sum += z[at];
                    }
                    assertEquals(1.0, sum, 1e-5);
                }
                for (int i = 0; i < offset; i++) {
                    assertEquals(before[i], z[i], "values before the block are left alone");
                }
                for (int i = offset + rows * classes; i < z.length; i++) {
                    assertEquals(before[i], z[i], "values after the block are left alone");
                }
            }
        }
    }

    @Test
    void aNanLogitMakesItsRowNanAndLeavesTheOthers() {
        float[] z = {1f, Float.NaN, 2f, 0f, 1f, 2f};
        InferenceForm.softmax(z, 0, 2, 3);
        for (int c = 0; c < 3; c++) {
            assertTrue(Float.isNaN(z[c]), "row 0, class " + c);
            assertTrue(z[3 + c] > 0 && z[3 + c] < 1, "row 1, class " + c);
        }
    }
}
