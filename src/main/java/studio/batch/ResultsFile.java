package studio.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import studio.job.DiskSpace;
import studio.job.InputException;
import studio.job.OutputFile;

/** {@code results.csv}: {@code id,status,output,engine,seconds,message}, written whole to a temporary file and moved into place. */
public final class ResultsFile {
    public static final String NAME = "results.csv";
    public static final String HEADER = "id,status,output,engine,seconds,message";

    private ResultsFile() {}

    public static void write(Path out, Collection<JobResult> rows) {
        StringBuilder s = new StringBuilder(HEADER).append('\n');
        for (JobResult r : rows)
            s.append(cell(r.id()))
                    .append(',')
                    .append(r.status())
                    .append(',')
                    .append(cell(r.output()))
                    .append(',')
                    .append(cell(r.engine()))
                    .append(',')
                    .append(String.format(Locale.ROOT, "%.2f", r.seconds()))
                    .append(',')
                    .append(cell(r.message()))
                    .append('\n');
        Path target = out.resolve(NAME);
        try (OutputFile f = OutputFile.create(target, List.of())) {
            Files.writeString(f.temp(), s);
            f.commit();
        } catch (IOException e) {
            throw new InputException(target, "could not be written (" + DiskSpace.explain(e) + ")");
        }
    }

    /** RFC 4180 quoting where needed. */
    static String cell(String v) {
        if (v == null) return "";
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
