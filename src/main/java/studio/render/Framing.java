package studio.render;

import java.awt.image.BufferedImage;
import studio.face.CropGeometry;
import studio.face.FaceCrop;
import studio.face.PasteBack;
import studio.face.Preprocess;
import studio.image.Images;

/**
 * The picture the animator works on (the face stage's SadTalker-style crop, size×size) with the
 * face's landmarks in its pixels, and how an animated crop becomes an output frame: as is for
 * crop/extcrop/resize, pasted back into the original picture for full/extfull.
 */
public final class Framing implements AutoCloseable {
    private final BufferedImage picture;
    private final double[] landmarks;
    private final PasteBack pasteBack;

    private Framing(BufferedImage picture, double[] landmarks, PasteBack pasteBack) {
        this.picture = picture;
        this.landmarks = landmarks;
        this.pasteBack = pasteBack;
    }

    /** The crop of {@code input}'s face in {@code mode}, {@code size} × {@code size}. */
    public static Framing of(RenderInput input, Preprocess mode, int size) {
        BufferedImage portrait = Images.bgr(input.portrait());
        FaceCrop.CropResult crop = FaceCrop.crop(portrait, input.face(), mode, size);
        CropGeometry g = crop.geometry();
        double[] lm = input.face().landmarks();
        double[] inCrop = new double[lm.length];
        for (int i = 0; i < lm.length; i += 2) {
            double[] p = g.toCrop(lm[i], lm[i + 1]);
            inCrop[i] = p[0];
            inCrop[i + 1] = p[1];
        }
        // Feathering rather than SadTalker's Poisson clone: the warp leaves the crop's border
        // exactly as cropped, so there is no colour step to hide, and it is many times faster.
        PasteBack paste = mode.pastesBack() ? PasteBack.create(portrait, g, PasteBack.Blend.FEATHER) : null;
        return new Framing(crop.image(), inCrop, paste);
    }

    public BufferedImage picture() {
        return picture;
    }

    public double[] landmarks() {
        return landmarks;
    }

    public BufferedImage compose(BufferedImage animated) {
        return pasteBack == null ? animated : pasteBack.paste(animated);
    }

    @Override
    public void close() {
        if (pasteBack != null) pasteBack.close();
    }
}
