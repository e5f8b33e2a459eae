package studio.app;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/** The UI's strings, from the {@code studio/app/messages*.properties} bundles (English and Simplified Chinese). */
public final class Messages {
    private static final String BUNDLE = "studio.app.messages";
    private static volatile ResourceBundle bundle = load(Locale.getDefault());

    private Messages() {}

    /** Switches every string fetched from now on to {@code locale}. */
    public static void use(Locale locale) {
        bundle = load(locale);
    }

    public static Locale locale() {
        return bundle.getLocale();
    }

    private static ResourceBundle load(Locale locale) {
        // No fallback to the JVM's default locale: an unknown language gets the English base bundle.
        return ResourceBundle.getBundle(
                BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static String t(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            AppLog.warn("missing UI string: " + key);
            return key;
        }
    }

    /** A string with {0}, {1}... filled in (MessageFormat rules). */
    public static String f(String key, Object... args) {
        return new MessageFormat(t(key), bundle.getLocale()).format(args);
    }

    public static boolean has(String key) {
        return bundle.containsKey(key);
    }
}
