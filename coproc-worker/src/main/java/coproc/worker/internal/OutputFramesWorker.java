package coproc.worker.internal;

import coproc.messenger.internal.OutputSink;

/** A worker process whose target's {@code System.out} and {@code System.err} come as output frames on its pipe. */
interface OutputFramesWorker {

    /**
     * Returns where the worker's output frames go: where its process's own output goes.
     *
     * @return the sink for the worker's pipe; call once
     */
    OutputSink pipeOutput();
}
