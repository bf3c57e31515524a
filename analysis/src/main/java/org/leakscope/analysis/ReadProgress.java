package org.leakscope.analysis;

import java.util.function.LongConsumer;

/** Where a long read reports its progress (a terminal line in the commands; nothing in a library caller). */
public interface ReadProgress {
    /** Reports nothing. */
    ReadProgress NONE = new ReadProgress() {
        @Override
        public LongConsumer file(String name, long size) {
            return null;
        }

        @Override
        public void done() {
        }
    };

    /** A sink for the bytes read so far of one file, or null when progress is not shown. */
    LongConsumer file(String name, long size);

    /** The read is over (also after a failure). */
    void done();
}
