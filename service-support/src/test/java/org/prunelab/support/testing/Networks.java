package org.prunelab.support.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

/** For the services' own tests: small networks of known shape with weights drawn from a seed. */
public final class Networks {
    private Networks() {
    }

    /** Layers of the given sizes, every weight Gaussian with standard deviation {@code scale}. */
    public static Mlp gaussian(long seed, double scale, int... sizes) {
        Random r = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            float[] w = new float[sizes[k] * sizes[k + 1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextGaussian() * scale);
            }
            layers.add(new Layer(sizes[k], sizes[k + 1], w));
        }
        return new Mlp(layers);
    }
}
