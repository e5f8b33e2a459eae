package studio.render.builtin;

import java.util.ArrayList;
import java.util.List;
import studio.job.StudioException;
import studio.motion.LandmarkMotion;

/**
 * The control points of the mesh and how a {@link LandmarkMotion} moves them: the 68 landmarks,
 * a ring around the head (hair, ears, neck) that follows the head's pose, and a frame on the
 * picture's border that stays put, so the background never moves.
 *
 * <p>Each landmark has a depth from a generic face (nose forward, jaw back), so yaw and pitch
 * are real 3D rotations of the face, projected orthographically: the nose turns further than
 * the cheeks, as in SadTalker's renderer. Lengths are in inter-ocular distances (IOD) in a face
 * frame (u to the subject's left eye, v down the face, origin between the eyes).
 */
public final class FaceRig {
    public static final int LANDMARKS = 68;
    /** Pivot of yaw and pitch in the face frame: behind the face, about the head's centre. */
    private static final double PIVOT_V = 0.5, PIVOT_Z = -1.1;
    /** Camera distance from the pivot in IOD (about 60 cm for a 6 cm eye distance). */
    private static final double CAMERA = 10;
    /** Depth of each landmark (IOD, towards the camera), a generic face. */
    private static final double[] DEPTH = {
        -0.6, -0.5, -0.4, -0.3, -0.2, -0.1, 0.0, 0.08, 0.12, 0.08, 0.0, -0.1, -0.2, -0.3, -0.4, -0.5, -0.6, // jaw
        -0.05, 0.05, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, -0.05, // brows
        0.12, 0.22, 0.32, 0.42, 0.2, 0.26, 0.3, 0.26, 0.2, // nose
        -0.05, 0.02, 0.02, 0.0, 0.02, 0.02, 0.0, 0.02, 0.02, -0.05, 0.02, 0.02, // eyes
        0.05, 0.15, 0.2, 0.22, 0.2, 0.15, 0.05, 0.15, 0.18, 0.2, 0.18, 0.15, // outer lips
        0.05, 0.18, 0.19, 0.18, 0.05, 0.16, 0.17, 0.16
    }; // inner lips
    /** How much each jaw point follows the lower lip when the mouth opens. */
    private static final double[] JAW_FOLLOW = {0, 0, 0, 0, 0.15, 0.35, 0.6, 0.8, 0.9, 0.8, 0.6, 0.35, 0.15, 0, 0, 0, 0
    };

    private static final int RING = 16;
    private static final double RING_Z = -0.9;

    private final int width, height;
    private final double cx, cy, ex, ey, iod;
    /** Face-frame coordinates of every point; border points keep their pixel positions. */
    private final double[] u, v, z, poseWeight;

    private final boolean[] fixed;
    private final double[] sourceXY;
    private final int count;

    /**
     * @param landmarks 68 landmarks (x0,y0,...) in the pixel coordinates of the picture being animated
     */
    public FaceRig(double[] landmarks, int width, int height) {
        if (landmarks == null || landmarks.length != 2 * LANDMARKS)
            throw new StudioException("the built-in engine needs the face's 68 landmarks");
        this.width = width;
        this.height = height;
        double lx = 0, ly = 0, rx = 0, ry = 0;
        for (int i = 36; i < 42; i++) {
            lx += landmarks[2 * i] / 6;
            ly += landmarks[2 * i + 1] / 6;
        }
        for (int i = 42; i < 48; i++) {
            rx += landmarks[2 * i] / 6;
            ry += landmarks[2 * i + 1] / 6;
        }
        double d = Math.hypot(rx - lx, ry - ly);
        if (!(d > 2)) throw new StudioException("the face is too small to animate (eyes " + d + " px apart)");
        iod = d;
        ex = (rx - lx) / d;
        ey = (ry - ly) / d;
        cx = (lx + rx) / 2;
        cy = (ly + ry) / 2;

        List<double[]> pts = new ArrayList<>(); // u, v, z, weight, fixed(0/1), x, y
        for (int i = 0; i < LANDMARKS; i++) {
            double[] uv = toFace(landmarks[2 * i], landmarks[2 * i + 1]);
            pts.add(new double[] {uv[0], uv[1], DEPTH[i], 1, 0, landmarks[2 * i], landmarks[2 * i + 1]});
        }
        addRing(pts, landmarks);
        addAnchors(pts);
        addBorder(pts);
        count = pts.size();
        u = new double[count];
        v = new double[count];
        z = new double[count];
        poseWeight = new double[count];
        fixed = new boolean[count];
        sourceXY = new double[2 * count];
        for (int i = 0; i < count; i++) {
            double[] p = pts.get(i);
            u[i] = p[0];
            v[i] = p[1];
            z[i] = p[2];
            poseWeight[i] = p[3];
            fixed[i] = p[4] != 0;
            sourceXY[2 * i] = p[5];
            sourceXY[2 * i + 1] = p[6];
        }
    }

    /**
     * A ring around the head: an ellipse round the landmarks, larger above (hair) than below
     * (neck). It follows the head fully at the top and a third at the bottom (the neck stays on
     * the body); near the picture's border it is pulled in and follows less, so the stretch
     * between ring and border never folds.
     */
    private void addRing(List<double[]> pts, double[] landmarks) {
        double minDist = 0.12 * iod;
        double margin = Math.max(2, 0.02 * Math.min(width, height));
        double fade = Math.max(4, 0.1 * Math.min(width, height));
        for (int k = 0; k < RING; k++) {
            double a = 2 * Math.PI * k / RING;
            double s = Math.sin(a);
            double ru = 1.75, rv = s < 0 ? 2.1 : 1.9;
            double pu = ru * Math.cos(a), pv = 0.35 + rv * s;
            double[] xy = toImage(pu, pv);
            double x = clamp(xy[0], margin, width - 1 - margin), y = clamp(xy[1], margin, height - 1 - margin);
            boolean near = false;
            for (double[] p : pts) if (Math.hypot(p[5] - x, p[6] - y) < minDist) near = true;
            if (near) continue;
            double border = Math.min(Math.min(x, width - 1 - x), Math.min(y, height - 1 - y));
            double weight = (s > 0 ? 1 - 0.65 * s : 1) * clamp((border - margin) / fade, 0, 1);
            double[] uv = toFace(x, y);
            pts.add(new double[] {uv[0], uv[1], RING_Z, weight, 0, x, y});
        }
    }

    /**
     * Fixed points on a wider ellipse (about 1.7 times the ring): the stretch that lets the head
     * move stays between ring and anchors, and the background beyond them is left untouched.
     */
    private void addAnchors(List<double[]> pts) {
        double minDist = 0.3 * iod;
        for (int k = 0; k < RING; k++) {
            double a = 2 * Math.PI * (k + 0.5) / RING;
            double s = Math.sin(a);
            double[] xy = toImage(2.9 * Math.cos(a), 0.35 + (s < 0 ? 3.4 : 3.1) * s);
            if (xy[0] < 1 || xy[1] < 1 || xy[0] > width - 2 || xy[1] > height - 2) continue;
            boolean near = false;
            for (double[] p : pts) if (Math.hypot(p[5] - xy[0], p[6] - xy[1]) < minDist) near = true;
            if (near) continue;
            pts.add(new double[] {0, 0, 0, 0, 1, xy[0], xy[1]});
        }
    }

    /** Fixed points on the picture's edge: the corners and four more per side. */
    private void addBorder(List<double[]> pts) {
        int per = 5;
        for (int k = 0; k < per; k++) {
            double fx = (width - 1) * k / (double) per, fy = (height - 1) * k / (double) per;
            pts.add(new double[] {0, 0, 0, 0, 1, fx, 0});
            pts.add(new double[] {0, 0, 0, 0, 1, width - 1 - fx, height - 1});
            pts.add(new double[] {0, 0, 0, 0, 1, 0, height - 1 - fy});
            pts.add(new double[] {0, 0, 0, 0, 1, width - 1, fy});
        }
    }

    public int count() {
        return count;
    }

    public double iod() {
        return iod;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Pixel positions of all control points in the portrait (x0,y0,...). */
    public double[] sourcePoints() {
        return sourceXY.clone();
    }

    /** Pixel positions of all control points for one frame's motion. */
    public double[] targetPoints(LandmarkMotion m) {
        return pose(deform(m, 0), m);
    }

    /**
     * The shape the mesh is triangulated on: the mouth wide open and the eyes open, so the inner
     * lips and eyelids are edges of the triangulation whatever the portrait shows.
     */
    double[] openPoints() {
        return pose(deform(new LandmarkMotion(0.3, 0, 0, 0, 0, 0, 0, 0, 0, 0), 0.12), LandmarkMotion.REST);
    }

    /** Inner-lip gap of the portrait at the middle of the mouth (62 to 66), in pixels. */
    public double sourceMouthGap() {
        return (v[66] - v[62]) * iod;
    }

    /** Expression in the face frame: lips, eyelids, brows. Returns u,v per point (face frame). */
    private double[][] deform(LandmarkMotion m, double minEyeGap) {
        double[] du = new double[count], dv = new double[count];
        // Lips: each pair of inner-lip points gets its gap; the lower lip and jaw carry 80 % of the change.
        double[] profile = {0.9, 1.0, 0.9};
        int[][] pairs = {{61, 67}, {62, 66}, {63, 65}};
        double[] upper = new double[3], lower = new double[3];
        for (int k = 0; k < 3; k++) {
            double gap = v[pairs[k][1]] - v[pairs[k][0]];
            double target = Math.max(0.004, m.mouthOpen() * profile[k]);
            double change = target - gap;
            upper[k] = -0.2 * change;
            lower[k] = 0.8 * change;
        }
        int[][] upperLip = {{49, 0}, {50, 0}, {61, 0}, {51, 1}, {62, 1}, {52, 2}, {53, 2}, {63, 2}};
        int[][] lowerLip = {{59, 0}, {58, 0}, {67, 0}, {57, 1}, {66, 1}, {56, 2}, {55, 2}, {65, 2}};
        for (int[] p : upperLip) dv[p[0]] += upper[p[1]];
        for (int[] p : lowerLip) dv[p[0]] += lower[p[1]];
        for (int c : new int[] {48, 60}) dv[c] += 0.5 * (upper[0] + lower[0]);
        for (int c : new int[] {54, 64}) dv[c] += 0.5 * (upper[2] + lower[2]);
        for (int j = 0; j < 17; j++) dv[j] += JAW_FOLLOW[j] * lower[1];
        // Width and rounding: corners move most, the lips' middle not at all.
        double half = (u[54] - u[48]) / 2, mid = (u[54] + u[48]) / 2;
        double w = m.mouthWidth() - 0.1 * m.mouthRound();
        for (int i = 48; i < 68; i++) du[i] += w * (u[i] - mid) * Math.min(1, Math.abs(u[i] - mid) / half);
        for (int i = 49; i <= 53; i++) dv[i] -= 0.03 * m.mouthRound();
        for (int i = 55; i <= 59; i++) dv[i] += 0.03 * m.mouthRound();
        // Eyelids: the upper lid comes down 80 % of the way, the lower lid up 20 %.
        int[][] lids = {{37, 41}, {38, 40}, {43, 47}, {44, 46}};
        for (int[] lid : lids) {
            double gap = v[lid[1]] - v[lid[0]];
            double widen = Math.max(0, minEyeGap - gap);
            // Blinks are not warped (that squashes the eye's texture): the lids are painted over
            // the eye (see EyelidPainter); only the triangulation's shape widens closed eyes.
            dv[lid[0]] -= widen / 2;
            dv[lid[1]] += widen / 2;
        }
        for (int i = 17; i <= 26; i++) dv[i] -= m.browRaise();
        double[] nu = new double[count], nv = new double[count];
        for (int i = 0; i < count; i++) {
            nu[i] = u[i] + du[i];
            nv[i] = v[i] + dv[i];
        }
        return new double[][] {nu, nv};
    }

    /** Head pose: rotate about the pivot in 3D, shift, project; border points stay. */
    private double[] pose(double[][] face, LandmarkMotion m) {
        double yaw = Math.toRadians(m.yaw()), pitch = Math.toRadians(m.pitch()), roll = Math.toRadians(m.roll());
        double cyw = Math.cos(yaw), syw = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch);
        double cr = Math.cos(roll), sr = Math.sin(roll);
        double[] out = new double[2 * count];
        for (int i = 0; i < count; i++) {
            if (fixed[i]) {
                out[2 * i] = sourceXY[2 * i];
                out[2 * i + 1] = sourceXY[2 * i + 1];
                continue;
            }
            double pu = face[0][i], pv = face[1][i] - PIVOT_V, pz = z[i] - PIVOT_Z;
            double u1 = pu * cyw + pz * syw, z1 = -pu * syw + pz * cyw; // yaw
            double v1 = pv * cp + z1 * sp, z2 = -pv * sp + z1 * cp; // pitch
            // Perspective from a camera CAMERA IODs in front of the pivot: what turns towards it
            // grows, what turns away shrinks; the photographed pose is left exactly as it was.
            double persp = (CAMERA - pz) / (CAMERA - z2);
            u1 *= persp;
            v1 *= persp;
            double u2 = u1 * cr - v1 * sr, v2 = u1 * sr + v1 * cr; // roll
            double w = poseWeight[i];
            double fu = face[0][i] + w * (u2 + m.tx() - face[0][i]);
            double fv = face[1][i] + w * (v2 + PIVOT_V + m.ty() - face[1][i]);
            double[] xy = toImage(fu, fv);
            out[2 * i] = xy[0];
            out[2 * i + 1] = xy[1];
        }
        return out;
    }

    private double[] toFace(double x, double y) {
        double dx = x - cx, dy = y - cy;
        return new double[] {(dx * ex + dy * ey) / iod, (-dx * ey + dy * ex) / iod};
    }

    private double[] toImage(double fu, double fv) {
        return new double[] {cx + iod * (fu * ex - fv * ey), cy + iod * (fu * ey + fv * ex)};
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
