package org.skerry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.skerry.bench.result.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Markdown tables from the result JSONs of a run: figures per server, and ratios of skerry to each other server. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a markdown table per scenario from all result JSONs in a directory, with skerry/other ratios.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, description = "Directory of result JSON files.")
    Path in;

    @Option(names = "--out", required = true, description = "Markdown file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(in)) {
            throw new CannotRun("no directory " + in);
        }
        Report report = Report.read(in);
        report.write(out);
        System.out.print(report.markdown());
        return 0;
    }
}
