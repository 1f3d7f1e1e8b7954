/*
 * fernhilfe-encoder: H.264 for the QuickSupport program, linked statically against libx264 (built
 * from Debian's x264 source by packages/agent/build/encoder.mjs). One process encodes one frame
 * size with one set of settings, one frame at a time, with no frame held back.
 *
 * Usage: fernhilfe-encoder --width W --height H [--preset P] [--crf Q] [--threads N] [--params K=V:K=V]
 *
 * stdin, per frame (header version 2): u32le flags, then the fields of the flags set, in this order,
 *                    then the picture:
 *   bit 0 FORCE_IDR: make this frame an IDR (no field)
 *   bit 1 RATE:      u32le maxKbps: cap the bitrate from this frame on with VBV (maxrate maxKbps, a
 *                    buffer of half a second); CRF stays the quality target, VBV only caps it.
 *                    maxKbps 0: no cap (pure CRF) again.
 *   bit 2 ROWS:      u32le firstRow, u32le rowCount (luma rows, both even): only these rows of Y and
 *                    the matching rows of U and V follow (Y rows, then U rows, then V rows); the rest
 *                    of the picture stays as the frame before left it. Not allowed on the first frame.
 *   bit 3 COLS:      only with ROWS, its field after ROWS's: u32le firstCol, u32le colCount (luma
 *                    columns, both even): each row of the band carries only these columns (colCount
 *                    bytes of a Y row, colCount/2 of a U or V row); the rest of the row stays.
 *   without ROWS:    W*H*3/2 bytes of I420 (the whole picture)
 *   any other bit set is an error.
 * stdout, per frame: u32le length | u32le flags (bit 0: keyframe) | `length` bytes of Annex B H.264
 *                    (one access unit; SPS and PPS in front of every keyframe)
 * Every record is written and flushed as soon as the frame is encoded. End of input at a frame
 * boundary ends the program with exit code 0; anything else that goes wrong ends it with a message
 * on stderr and exit code 1 (bad arguments: 2).
 *
 * Fixed for every tier (the viewer's decoder must read the pictures back into the same RGB):
 * profile high, BT.709 matrix and primaries, sRGB (iec61966-2-1) transfer, full range, no periodic
 * keyframes, no scene-cut keyframes, tune zerolatency (no lookahead, no B-frames, sliced threads).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x264.h>
#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#define FLAG_FORCE_IDR 1u
#define FLAG_RATE 2u
#define FLAG_ROWS 4u
#define FLAG_COLS 8u
#define FLAG_KEYFRAME 1u
/* VBV "off": x264 cannot switch VBV on in a running encoder, so it is on from the start with a cap no stream reaches */
#define VBV_OFF_KBPS 2000000
#define MAX_SIDE 16384

static void die(const char *what) {
  fprintf(stderr, "fernhilfe-encoder: %s\n", what);
  fflush(stderr);
  exit(1);
}

static void usage(const char *what) {
  fprintf(stderr, "fernhilfe-encoder: %s\nusage: fernhilfe-encoder --width W --height H [--preset P] [--crf Q] [--threads N] [--params K=V:K=V]\n", what);
  exit(2);
}

static int parse_int(const char *text, int min, int max, const char *name) {
  char *end = NULL;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < min || v > max) {
    fprintf(stderr, "fernhilfe-encoder: %s must be a whole number from %d to %d, not \"%s\"\n", name, min, max, text);
    exit(2);
  }
  return (int)v;
}

/* Reads exactly n bytes. Returns n, 0 at end of input before the first byte, or dies on a short read. */
static size_t read_exact(uint8_t *buf, size_t n, const char *what) {
  size_t got = 0;
  while (got < n) {
    size_t r = fread(buf + got, 1, n - got, stdin);
    if (r == 0) {
      if (ferror(stdin)) die("reading the input failed");
      if (got == 0) return 0;
      fprintf(stderr, "fernhilfe-encoder: the input ended inside %s (%zu of %zu bytes): frames must be a header and exactly the I420 bytes it announces (width*height*3/2 for a whole picture)\n", what, got, n);
      exit(1);
    }
    got += r;
  }
  return n;
}

static void put_u32le(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void write_record(const x264_nal_t *nals, int count, int keyframe) {
  size_t length = 0;
  for (int i = 0; i < count; i++) length += (size_t)nals[i].i_payload;
  if (length > UINT32_MAX) die("an encoded frame is too large for its record");
  uint8_t head[8];
  put_u32le(head, (uint32_t)length);
  put_u32le(head + 4, keyframe ? FLAG_KEYFRAME : 0);
  if (fwrite(head, 1, sizeof head, stdout) != sizeof head) die("writing the output failed");
  /* x264 lays the NAL units of one call out back to back in one buffer */
  if (length > 0 && fwrite(nals[0].p_payload, 1, length, stdout) != length) die("writing the output failed");
  if (fflush(stdout) != 0) die("writing the output failed");
}

/*
 * The input picture, kept whole across frames, and what changed in it since the frame before.
 * `cur` is what x264 encodes; a new picture or band is read into `next` first and compared with
 * `cur`, so x264 is told which macroblocks are the same as in the frame before (mb_info,
 * X264_MBINFO_CONSTANT: it skips their analysis, which is most of the cost of a frame in which a
 * clock ticked). The hint follows from the pixels alone, so a whole picture and the band of rows that
 * changed (ROWS) give x264 the same input and the same output.
 */
typedef struct {
  int width, height, mb_width, mb_height;
  size_t luma, bytes;
  uint8_t *cur, *next, *mb_info;
} input_t;

static void input_open(input_t *in, int width, int height) {
  in->width = width;
  in->height = height;
  in->mb_width = (width + 15) / 16;
  in->mb_height = (height + 15) / 16;
  in->luma = (size_t)width * (size_t)height;
  in->bytes = in->luma * 3 / 2;
  in->cur = calloc(1, in->bytes);
  in->next = calloc(1, in->bytes);
  in->mb_info = calloc(1, (size_t)in->mb_width * (size_t)in->mb_height);
  if (!in->cur || !in->next || !in->mb_info) die("out of memory");
}

/* Y, U, V of a picture: where the plane starts, its row length, and rows per macroblock row */
static void plane_layout(const input_t *in, int p, size_t *offset, size_t *stride, int *mb_rows) {
  *offset = p == 0 ? 0 : in->luma + (size_t)(p - 1) * (in->luma / 4);
  *stride = p == 0 ? (size_t)in->width : (size_t)in->width / 2;
  *mb_rows = p == 0 ? 16 : 8;
}

/* mb_info: every macroblock constant, except those with a pixel in rows [first, first + count) and
 * luma columns [col, col + cols) that differs between `next` and `cur` */
static void mark_changed(input_t *in, uint32_t first, uint32_t count, uint32_t col, uint32_t cols) {
  memset(in->mb_info, X264_MBINFO_CONSTANT, (size_t)in->mb_width * (size_t)in->mb_height);
  for (int p = 0; p < 3; p++) {
    size_t offset, stride;
    int mb_rows;
    plane_layout(in, p, &offset, &stride, &mb_rows);
    size_t mb_cols = (size_t)mb_rows; /* a macroblock is as wide as it is high in every plane */
    uint32_t from = p == 0 ? first : first / 2, to = p == 0 ? first + count : (first + count) / 2;
    size_t x0 = p == 0 ? col : col / 2, x1 = x0 + (p == 0 ? cols : cols / 2);
    for (uint32_t y = from; y < to; y++) {
      const uint8_t *a = in->cur + offset + y * stride, *b = in->next + offset + y * stride;
      if (memcmp(a + x0, b + x0, x1 - x0) == 0) continue;
      uint8_t *row = in->mb_info + (size_t)(y / (uint32_t)mb_rows) * (size_t)in->mb_width;
      for (size_t x = x0 - x0 % mb_cols, mx = x0 / mb_cols; x < x1; x += mb_cols, mx++) {
        size_t lo = x < x0 ? x0 : x, hi = x + mb_cols < x1 ? x + mb_cols : x1;
        if (row[mx] && memcmp(a + lo, b + lo, hi - lo) != 0) row[mx] = 0;
      }
    }
  }
}

/* A whole picture (no ROWS): read into `next`, compared with the picture before, then made current. */
static int read_whole(input_t *in, int64_t n) {
  if (read_exact(in->next, in->bytes, "a frame") == 0) return 0;
  if (n > 0) mark_changed(in, 0, (uint32_t)in->height, 0, (uint32_t)in->width);
  uint8_t *t = in->cur;
  in->cur = in->next;
  in->next = t;
  return 1;
}

/*
 * ROWS: reads the band of rows [first, first + count) of an I420 picture (Y rows, then the count/2
 * matching rows of U, then of V); the rows outside it keep what earlier frames wrote. With COLS
 * (`cols_field`, else NULL) each row carries only the columns [col, col + cols) and the rest of the
 * row stays too. The band comes from the frame header; a band outside the picture, an odd one or a
 * band on the first frame (there is no picture to keep yet) ends the program.
 */
static void read_rows(input_t *in, const uint8_t *field, const uint8_t *cols_field, int64_t n) {
  uint32_t first = get_u32le(field), count = get_u32le(field + 4);
  uint32_t col = cols_field ? get_u32le(cols_field) : 0, cols = cols_field ? get_u32le(cols_field + 4) : (uint32_t)in->width;
  if (n == 0) die("the first frame must be a whole picture, not rows (ROWS flag)");
  if (first % 2 != 0 || count % 2 != 0 || first > (uint32_t)in->height || count > (uint32_t)in->height - first) {
    fprintf(stderr, "fernhilfe-encoder: the rows of a frame (first %u, count %u) must be even and inside the picture's %d rows\n", first, count, in->height);
    exit(1);
  }
  if (col % 2 != 0 || cols % 2 != 0 || col > (uint32_t)in->width || cols > (uint32_t)in->width - col) {
    fprintf(stderr, "fernhilfe-encoder: the columns of a frame (first %u, count %u) must be even and inside the picture's %d columns\n", col, cols, in->width);
    exit(1);
  }
  for (int p = 0; p < 3; p++) {
    size_t offset, stride, row = p == 0 ? first : first / 2, rows = p == 0 ? count : count / 2;
    size_t x = p == 0 ? col : col / 2, w = p == 0 ? cols : cols / 2;
    int mb_rows;
    plane_layout(in, p, &offset, &stride, &mb_rows);
    if (w == stride) {
      if (rows > 0 && read_exact(in->next + offset + row * stride, rows * stride, "the rows of a frame") == 0) die("the input ended inside a frame, before its rows");
      continue;
    }
    for (size_t r = row; w > 0 && r < row + rows; r++)
      if (read_exact(in->next + offset + r * stride + x, w, "the rows of a frame") == 0) die("the input ended inside a frame, before its rows");
  }
  mark_changed(in, first, count, col, cols);
  for (int p = 0; p < 3; p++) {
    size_t offset, stride, row = p == 0 ? first : first / 2, rows = p == 0 ? count : count / 2;
    size_t x = p == 0 ? col : col / 2, w = p == 0 ? cols : cols / 2;
    int mb_rows;
    plane_layout(in, p, &offset, &stride, &mb_rows);
    for (size_t r = row; w > 0 && r < row + rows; r++) memcpy(in->cur + offset + r * stride + x, in->next + offset + r * stride + x, w);
  }
}

/* RATE: reads maxKbps and applies it as the VBV cap (buffer: half a second, so no frame takes the link longer). */
static void read_rate(x264_t *encoder) {
  uint8_t field[4];
  if (read_exact(field, sizeof field, "a RATE field") == 0) die("the input ended inside a frame header's RATE field");
  uint32_t max_kbps = get_u32le(field);
  x264_param_t param;
  x264_encoder_parameters(encoder, &param);
  int rate = max_kbps == 0 || max_kbps >= VBV_OFF_KBPS ? VBV_OFF_KBPS : (int)max_kbps;
  param.rc.i_vbv_max_bitrate = rate;
  param.rc.i_vbv_buffer_size = rate == VBV_OFF_KBPS ? VBV_OFF_KBPS : rate / 2 > 0 ? rate / 2 : 1;
  if (x264_encoder_reconfig(encoder, &param) < 0) die("x264 did not accept the new bitrate cap");
}

/* The lowest H.264 level whose frame size, macroblock rate (30 fps) and picture buffer hold this stream. */
static int level_for(int width, int height, int refs) {
  int mb_w = (width + 15) / 16, mb_h = (height + 15) / 16, mbs = mb_w * mb_h;
  if (refs < 1) refs = 1;
  for (const x264_level_t *l = x264_levels; l->level_idc != 0; l++) {
    if (l->frame_size < mbs || l->frame_size * 8 < mb_w * mb_w || l->frame_size * 8 < mb_h * mb_h) continue;
    if ((int64_t)l->mbps < (int64_t)mbs * 30 || (int64_t)l->dpb < (int64_t)mbs * refs) continue;
    return l->level_idc;
  }
  return 62;
}

int main(int argc, char **argv) {
#ifdef _WIN32
  if (_setmode(_fileno(stdin), _O_BINARY) == -1 || _setmode(_fileno(stdout), _O_BINARY) == -1) die("cannot switch stdin/stdout to binary mode");
#endif
  int width = 0, height = 0, threads = 0;
  const char *preset = "ultrafast", *crf = "23", *params = "";
  for (int i = 1; i < argc; i++) {
    if (i + 1 >= argc) usage("every option needs a value");
    const char *name = argv[i], *value = argv[++i];
    if (strcmp(name, "--width") == 0) width = parse_int(value, 16, MAX_SIDE, "--width");
    else if (strcmp(name, "--height") == 0) height = parse_int(value, 16, MAX_SIDE, "--height");
    else if (strcmp(name, "--threads") == 0) threads = parse_int(value, 0, 64, "--threads");
    else if (strcmp(name, "--preset") == 0) preset = value;
    else if (strcmp(name, "--crf") == 0) crf = value;
    else if (strcmp(name, "--params") == 0) params = value;
    else usage("unknown option");
  }
  if (width == 0 || height == 0) usage("--width and --height are required");
  if (width % 2 != 0 || height % 2 != 0) usage("--width and --height must be even (I420)");

  x264_param_t param;
  if (x264_param_default_preset(&param, preset, "zerolatency") < 0) usage("unknown --preset");
  param.i_width = width;
  param.i_height = height;
  param.i_csp = X264_CSP_I420;
  param.i_threads = threads == 0 ? X264_THREADS_AUTO : threads;
  param.i_fps_num = 30;
  param.i_fps_den = 1;
  param.i_keyint_max = X264_KEYINT_MAX_INFINITE;
  param.i_scenecut_threshold = 0;
  param.b_repeat_headers = 1;
  param.b_annexb = 1;
  param.i_log_level = X264_LOG_ERROR;
  param.vui.b_fullrange = 1;
  param.vui.i_colorprim = 1; /* BT.709 */
  param.vui.i_transfer = 13; /* iec61966-2-1 (sRGB) */
  param.vui.i_colmatrix = 1; /* BT.709 */
  param.rc.i_vbv_max_bitrate = param.rc.i_vbv_buffer_size = VBV_OFF_KBPS; /* see read_rate */
  if (x264_param_parse(&param, "crf", crf) != 0) usage("bad --crf");
  if (params[0] != '\0') {
    char *copy = strdup(params);
    if (!copy) die("out of memory");
    for (char *item = strtok(copy, ":"); item; item = strtok(NULL, ":")) {
      char *eq = strchr(item, '=');
      if (!eq) usage("--params must be name=value pairs separated by ':'");
      *eq = '\0';
      if (x264_param_parse(&param, item, eq + 1) != 0) {
        fprintf(stderr, "fernhilfe-encoder: x264 does not accept the parameter %s=%s\n", item, eq + 1);
        exit(2);
      }
    }
    free(copy);
  }
  /* one frame in, one frame out: nothing may hold frames back, whatever --params said */
  param.i_bframe = 0;
  param.analyse.b_mb_info = 1; /* unchanged macroblocks are named per frame (input_t) */
  param.rc.i_lookahead = 0;
  param.i_sync_lookahead = 0;
  if (param.i_threads != 1) param.b_sliced_threads = 1;
  if (x264_param_apply_profile(&param, "high") < 0) die("x264 cannot apply the profile high");
  /* the level from the picture size alone: x264 would take it from the VBV cap, which stays on at
   * VBV_OFF_KBPS (see read_rate), and announce level 6.2 for every stream */
  param.i_level_idc = level_for(width, height, param.i_frame_reference);

  x264_t *encoder = x264_encoder_open(&param);
  if (!encoder) die("x264 could not open an encoder with these settings");
  x264_picture_t pic, out;
  x264_picture_init(&pic);
  pic.img.i_csp = X264_CSP_I420;
  pic.img.i_plane = 3;
  input_t in;
  input_open(&in, width, height);
  pic.img.i_stride[0] = width;
  pic.img.i_stride[1] = pic.img.i_stride[2] = width / 2;
  /* stdout is a pipe: one buffer big enough for a typical record, flushed after each */
  setvbuf(stdout, NULL, _IOFBF, 1 << 20);

  uint8_t head[4];
  for (int64_t n = 0;; n++) {
    if (read_exact(head, sizeof head, "a frame header") == 0) break;
    uint32_t flags = get_u32le(head);
    if (flags & ~(FLAG_FORCE_IDR | FLAG_RATE | FLAG_ROWS | FLAG_COLS)) die("a frame header has unknown flags set: the input is not in this program's format");
    if (flags & FLAG_RATE) read_rate(encoder);
    if (flags & FLAG_ROWS) {
      uint8_t field[8];
      if (read_exact(field, sizeof field, "a frame header's rows") == 0) die("the input ended inside a frame header");
      uint8_t cols[8];
      if ((flags & FLAG_COLS) && read_exact(cols, sizeof cols, "a frame header's columns") == 0) die("the input ended inside a frame header");
      read_rows(&in, field, (flags & FLAG_COLS) ? cols : NULL, n);
    } else if (flags & FLAG_COLS) die("a frame header has COLS without ROWS");
    else if (read_whole(&in, n) == 0) die("the input ended after a frame header, before its picture");
    pic.img.plane[0] = in.cur;
    pic.img.plane[1] = in.cur + in.luma;
    pic.img.plane[2] = in.cur + in.luma + in.luma / 4;
    pic.prop.mb_info = n > 0 ? in.mb_info : NULL;
    pic.i_pts = n;
    pic.i_type = (flags & FLAG_FORCE_IDR) ? X264_TYPE_IDR : X264_TYPE_AUTO;
    x264_nal_t *nals = NULL;
    int count = 0;
    int size = x264_encoder_encode(encoder, &nals, &count, &pic, &out);
    if (size < 0) die("x264 failed to encode a frame");
    if (size == 0) die("x264 held a frame back, which these settings should never do");
    write_record(nals, count, out.b_keyframe);
  }
  x264_encoder_close(encoder);
  free(in.cur);
  free(in.next);
  free(in.mb_info);
  return 0;
}
