package coproc.examples;

import coproc.api.Messenger;
import coproc.api.WorkerTarget;
import coproc.worker.WorkerResource;

/**
 * <b>An inspirational example.</b> A worker that prints to the screen, controlled from the
 * host: the host starts and stops the printing and changes what is printed and how often,
 * while the worker keeps printing between messages. The worker keeps its state in a
 * {@link PrintingProcess} object, and reports a wrong request as an exception that the host's
 * receive throws.
 *
 * <p>Run with {@code java -p coproc-examples/target/modules -m
 * coproc.examples/coproc.examples.InspirationalPrinter}.
 */
public final class InspirationalPrinter {

    private InspirationalPrinter() {
    }

    /** Asks the printer to start printing. */
    public record StartPrinting() {
    }

    /** Asks the printer to stop printing. */
    public record StopPrinting() {
    }

    /**
     * Asks the printer to print another character at another pace.
     *
     * @param printFrequency the seconds between two characters
     * @param printChar what to print
     */
    public record ChangePrintBehavior(double printFrequency, String printChar) {
    }

    /** The printer's answer to every request. */
    public record Receipt() {
    }

    /** Raised when the host asks to start but the printer is already printing. */
    public static final class AlreadyPrintingException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** Makes the exception. */
        public AlreadyPrintingException() {
            super("already printing");
        }
    }

    /** Raised when the host asks to stop but the printer is already not printing. */
    public static final class AlreadyNotPrintingException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** Makes the exception. */
        public AlreadyNotPrintingException() {
            super("already not printing");
        }
    }

    /**
     * The printer's state and main loop. It is sent to the worker when the worker starts,
     * with the state set in the host.
     */
    public static final class PrintingProcess implements WorkerTarget<Void> {

        private static final long serialVersionUID = 1L;

        private double printFrequency; // these must be set at worker start
        private String printChar;
        private boolean keepPrinting; // this can optionally be set

        /**
         * Makes the printer's initial state.
         *
         * @param printFrequency the seconds between two characters
         * @param printChar what to print
         * @param keepPrinting whether to print from the start
         */
        public PrintingProcess(double printFrequency, String printChar, boolean keepPrinting) {
            this.printFrequency = printFrequency;
            this.printChar = printChar;
            this.keepPrinting = keepPrinting;
        }

        @Override
        public void run(Messenger messenger, Void unused) throws InterruptedException {
            System.out.println("keepPrinting=" + keepPrinting);
            messenger.sendNoRequest(new Receipt()); // tell the host that the printer is running
            while (true) {
                if (!keepPrinting) {
                    // if we're not printing, wait for a new message
                    handleMessage(messenger, messenger.receiveBlocking());
                }
                for (Object msg : messenger.receiveAvailable()) {
                    handleMessage(messenger, msg);
                }
                if (keepPrinting) {
                    System.out.print(printChar);
                    System.out.flush();
                    Thread.sleep(Math.round(printFrequency * 1000));
                }
            }
        }

        private void handleMessage(Messenger messenger, Object msg) {
            if (msg instanceof StartPrinting) {
                if (keepPrinting) {
                    messenger.sendError(new AlreadyPrintingException());
                }
                keepPrinting = true;
            } else if (msg instanceof StopPrinting) {
                if (!keepPrinting) {
                    messenger.sendError(new AlreadyNotPrintingException());
                }
                keepPrinting = false;
            } else if (msg instanceof ChangePrintBehavior change) {
                printFrequency = change.printFrequency();
                printChar = change.printChar();
            } else {
                // the host should stop the worker in this case
                messenger.sendError(new UnsupportedOperationException("Unknown message type: " + msg.getClass()));
            }
            messenger.sendReply(new Receipt());
        }
    }

    /**
     * The host's interface to the printer: each method sends a request and waits for the
     * receipt, and throws what the printer sent instead.
     *
     * @param messenger the host's messenger to the printer
     */
    public record PrintProcessController(Messenger messenger) {

        /**
         * Starts printing.
         *
         * @return the receipt
         * @throws AlreadyPrintingException if the printer is already printing
         */
        public Receipt startPrinting() {
            messenger.sendRequest(new StartPrinting());
            return messenger.receiveBlocking(); // wait for receipt
        }

        /**
         * Stops printing.
         *
         * @return the receipt
         * @throws AlreadyNotPrintingException if the printer is already not printing
         */
        public Receipt stopPrinting() {
            messenger.sendRequest(new StopPrinting());
            return messenger.receiveBlocking(); // wait for receipt
        }

        /**
         * Changes what is printed and how often.
         *
         * @param printFrequency the seconds between two characters
         * @param printChar what to print
         * @return the receipt
         */
        public Receipt changeBehavior(double printFrequency, String printChar) {
            messenger.sendRequest(new ChangePrintBehavior(printFrequency, printChar));
            return messenger.receiveBlocking(); // wait for receipt
        }
    }

    /** A printer worker: {@link #start()} it, control it, and close it to stop it. */
    public static final class Printer implements AutoCloseable {

        private final WorkerResource<Void> resource;

        /**
         * Makes a printer; starts nothing.
         *
         * @param printFrequency the seconds between two characters
         * @param printChar what to print
         * @param startPrinting whether to print from the start
         */
        public Printer(double printFrequency, String printChar, boolean startPrinting) {
            resource = new WorkerResource<>(new PrintingProcess(printFrequency, printChar, startPrinting));
        }

        /**
         * Starts the printer's worker and waits until it is running.
         *
         * @return the controller
         */
        public PrintProcessController start() {
            resource.start();
            resource.messenger().receiveBlocking(); // the printer's first receipt: it is running
            return new PrintProcessController(resource.messenger());
        }

        /** Stops the printer's worker. */
        @Override
        public void close() {
            resource.close();
        }
    }

    /**
     * Starts a printer, lets it print x's, then y's faster, stops it, and stops it again,
     * which the printer refuses.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while sleeping
     */
    public static void main(String[] args) throws InterruptedException {
        try (Printer printer = new Printer(0.05, "x", false)) {
            PrintProcessController p = printer.start();
            System.out.println("\n----");
            Thread.sleep(200); // should not be printing
            System.out.println("\n----");
            p.startPrinting();
            System.out.println("\n----");
            Thread.sleep(200); // should be printing
            System.out.println("\n----");
            p.changeBehavior(0.01, "y");
            System.out.println("\n----");
            Thread.sleep(200); // should be printing
            p.stopPrinting();
            Thread.sleep(200); // should not be printing

            try { // this error is being sent by the printer process
                p.stopPrinting();
            } catch (AlreadyNotPrintingException e) {
                System.out.println("\nAlready not printing! oh well.");
            }
        }
    }
}
