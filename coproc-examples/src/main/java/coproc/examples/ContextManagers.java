package coproc.examples;

import coproc.api.Messenger;
import coproc.worker.WorkerResource;

/**
 * <b>Context managers.</b> A {@link WorkerResource} is {@link AutoCloseable}: in a
 * try-with-resources statement it stops its worker at the end of the block. Usually it is
 * better to wrap it in a class of your own that starts it the way you need and exposes a
 * cleaner interface, such as {@link EchoResource}.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.ContextManagers}.
 */
public final class ContextManagers {

    private ContextManagers() {
    }

    /**
     * An echo worker that starts with its {@code verbose} setting when created and stops
     * when closed.
     *
     * @param verbose whether the worker prints what it does
     * @param resource the worker
     */
    public record EchoResource(boolean verbose, WorkerResource<Boolean> resource) implements AutoCloseable {

        /**
         * Starts an echo worker.
         *
         * @param verbose whether the worker prints what it does
         */
        public EchoResource(boolean verbose) {
            this(verbose, new WorkerResource<>(WorkerResourceIntro::customEchoProcess));
            resource.start(verbose);
        }

        /**
         * Exposes the messenger to the user.
         *
         * @return the host's messenger to the worker
         */
        public Messenger messenger() {
            return resource.messenger();
        }

        /** Stops the worker. */
        @Override
        public void close() {
            resource.close();
        }
    }

    /**
     * Uses the built-in try-with-resources support, then the wrapper.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (var w = new WorkerResource<>(WorkerResourceIntro::customEchoProcess).start()) {
            System.out.println(w.getClass());
        }

        try (var w = new EchoResource(true)) {
            System.out.println(w);
        }
    }
}
