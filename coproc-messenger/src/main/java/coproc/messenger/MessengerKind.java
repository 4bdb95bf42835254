package coproc.messenger;

import coproc.messenger.internal.Pipe;
import coproc.messenger.internal.PipeConnector;

/**
 * The two kinds of messenger: how each channel orders its messages.
 */
public enum MessengerKind {

    /** {@link PriorityMessenger}: by ascending priority, then first in, first out. */
    PRIORITY {
        @Override
        PipeMessenger create(Pipe pipe) {
            return new PriorityMessenger(pipe);
        }
    },

    /** {@link MultiMessenger}: first in, first out. */
    MULTI {
        @Override
        PipeMessenger create(Pipe pipe) {
            return new MultiMessenger(pipe);
        }
    };

    abstract PipeMessenger create(Pipe pipe);

    /**
     * Opens two connected messengers of this kind in this JVM.
     *
     * @param options the options of both
     * @return the pair: worker side, host side
     * @throws IllegalArgumentException if no serializer has the options' name
     */
    public MessengerPair<PipeMessenger> newPair(MessengerOptions options) {
        Pipe[] pipes = PipeConnector.openPair(options);
        return new MessengerPair<>(create(pipes[0]), create(pipes[1]));
    }
}
