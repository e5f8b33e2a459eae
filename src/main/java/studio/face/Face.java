package studio.face;

/**
 * One detected face, in pixel coordinates of the analysed image.
 *
 * @param landmarks 68 points as x0,y0,x1,y1,... in the iBUG 300-W order (jaw 0-16, brows 17-26,
 *                  nose 27-35, eyes 36-47, mouth 48-67); null when landmarks were not computed
 */
public record Face(double x, double y, double width, double height, double score, double[] landmarks) {
    public double lx(int i) {
        return landmarks[2 * i];
    }

    public double ly(int i) {
        return landmarks[2 * i + 1];
    }

    /** The mean (x, y) of landmarks {@code from} to {@code to - 1}, e.g. 36, 42: the left eye. */
    public double[] landmarkMean(int from, int to) {
        double x = 0, y = 0;
        for (int i = from; i < to; i++) {
            x += lx(i);
            y += ly(i);
        }
        return new double[] {x / (to - from), y / (to - from)};
    }

    public double area() {
        return width * height;
    }
}
