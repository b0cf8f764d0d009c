package dev.tauon.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

// The build's name, "0.1.0 (commit 1a2b3c4)": the release and the git commit the jar was built
// from (a build outside git, or by plain mvn, has no commit; "-dirty" means uncommitted changes
// were in it). metrics.json, the run log, the safetensors header, --version and the report all
// say it through here.
public final class Version {
    private Version() {}

    public static String name() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/tauon/version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            String c = p.getProperty("commit", "unknown");
            return p.getProperty("version", "dev") + (c.startsWith("${") ? "" : " (commit " + c + ")");
        } catch (IOException e) {
            return "dev";
        }
    }
}
