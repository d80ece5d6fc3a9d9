package dev.turnpike.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * A format 2 snapshot file with its indexed record maps' entries left out: what lies between the
 * maps' braces is skipped, so the file's own parser reads the document's few other fields, and each
 * map as {@code {}}, in kilobytes instead of hundreds of megabytes.
 */
final class SkeletonStream extends InputStream {
  private final FileChannel channel;
  // Ranges left out, in file order, apart (the index is checked before).
  private final List<SnapshotIndex.Span> left;
  private final long size;
  private long position;
  private int next;

  SkeletonStream(FileChannel channel, List<SnapshotIndex.Span> left) throws IOException {
    this.channel = channel;
    this.left = left;
    this.size = channel.size();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (next < left.size() && position == left.get(next).section().start()) {
      position = left.get(next).section().end();
      next++;
    }
    long limit = next < left.size() ? left.get(next).section().start() : size;
    if (position >= limit) {
      return -1;
    }
    int n = (int) Math.min(len, limit - position);
    int read = channel.read(ByteBuffer.wrap(b, off, n), position);
    if (read < 0) {
      return -1;
    }
    position += read;
    return read;
  }
}
