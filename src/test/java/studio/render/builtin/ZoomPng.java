package studio.render.builtin;

import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.File;
import javax.imageio.ImageIO;

/** Crops IN at x,y,w,h and scales it by an integer factor (nearest neighbour) into OUT: a viewing aid. */
public final class ZoomPng {
    private ZoomPng() {}

    public static void main(String[] a) throws Exception {
        BufferedImage in = ImageIO.read(new File(a[0]));
        int x = Integer.parseInt(a[2]),
                y = Integer.parseInt(a[3]),
                w = Integer.parseInt(a[4]),
                h = Integer.parseInt(a[5]);
        int z = Integer.parseInt(a[6]);
        BufferedImage out = new BufferedImage(w * z, h * z, BufferedImage.TYPE_INT_RGB);
        out.getGraphics()
                .drawImage(in.getSubimage(x, y, w, h).getScaledInstance(w * z, h * z, Image.SCALE_FAST), 0, 0, null);
        ImageIO.write(out, "png", new File(a[1]));
    }
}
