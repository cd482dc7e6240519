"""sync_tensorboard=True: a patched tfevents writer feeds one log directory during the run.

One run.log row first, then (through wandb.tensorboard.patch(root_logdir="tb")) a writer for
tb/run1 whose tbrecord starts the service's TensorBoard sync. The writer logs scalars
(simple_value, float/double/int64 tensors, one with tensor_content), both histogram encodings,
both image encodings, a PR curve, text and hparams summaries, events sharing a step, a step that
goes back, and a record left half-written until close. After it closes, an add_scalars-style
sub-run file appears in tb/run1/multi_a (read by the same stream: log directories are listed
recursively). Files from an earlier start time and from another host are ignored. Wall times
are fixed, so the tfevents files and history timestamps are the same in every execution.
"""
import os
import struct

import tensorboard_tfevents as tf
import wandb
from _common import project, run_id, settings

tf.install_stub_tensorboard()
wandb.tensorboard.patch(root_logdir="tb")

T0 = 1_700_000_000.0
tf.fixed_wall_time = T0 - 1
os.makedirs("tb/run1", exist_ok=True)
# Neither file may be read: one predates the run, the other was written by another machine.
tf.RawWriter("tb/run1", tf.events_file_name(start=1_000_000_000)).write(tf.event(T0, 0, [tf.value("stale", simple=1.0)]))
tf.RawWriter("tb/run1", tf.events_file_name(host="some-other-host")).write(tf.event(T0, 0, [tf.value("foreign", simple=1.0)]))

run = wandb.init(project=project(), id=run_id(), settings=settings(), sync_tensorboard=True)
run.log({"before_tensorboard": 1})

from tensorboard.summary.writer.event_file_writer import EventFileWriter  # noqa: E402 (patched by wandb)

w = EventFileWriter("tb/run1")
scalars = tf.metadata("scalars")
w.write(tf.event(T0, 0, [tf.value("loss", simple=1.0)]))
w.write(tf.event(T0 + 0.1, 0, [tf.value("acc", tensor_bytes=tf.tensor(tf.DT_FLOAT, [], floats=[0.25]), meta=scalars)]))
w.write(tf.event(T0 + 0.2, 0, [tf.value("weights", histo=tf.histogram_proto(-1.5, 2.0, [-1.0, 0.0, 1.0, 2.0], [0, 3, 5, 2]))]))
w.write(tf.event(T0 + 0.3, 0, [tf.value("img", image=tf.image_proto(4, 3, tf.png(4, 3, 1)))]))
for step in range(1, 6):
    t = T0 + step
    w.write(tf.event(t, step, [tf.value("loss", simple=1.0 / (step + 1))]))
    w.write(tf.event(t + 0.01, step, [tf.value("acc", tensor_bytes=tf.tensor(tf.DT_FLOAT, [], floats=[0.25 + step / 10]))]))
    w.write(tf.event(t + 0.02, step, [tf.value("count", tensor_bytes=tf.tensor(tf.DT_INT64, [], int64s=[step * 1000]), meta=scalars)]))
w.write(tf.event(T0 + 6, 6, [
    tf.value("dist", tensor_bytes=tf.tensor(tf.DT_DOUBLE, [3, 3], doubles=[0, 1, 4, 1, 2, 6, 2, 3, 1]), meta=tf.metadata("histograms")),
    tf.value("precise", tensor_bytes=tf.tensor(tf.DT_DOUBLE, [], content=struct.pack("=d", 0.1 + 0.2)), meta=scalars),
]))
w.write(tf.event(T0 + 6.1, 6, [tf.value("pics", tensor_bytes=tf.tensor(tf.DT_STRING, [4], strings=[b"5", b"2", tf.png(5, 2, 2), tf.png(5, 2, 3)]), meta=tf.metadata("images"))]))
thresholds = 5
pr = [10, 8, 5, 2, 0, 0, 2, 5, 8, 10, 10, 8, 5, 2, 0, 0, 2, 5, 8, 10, 0.5, 0.6, 0.7, 0.8, 1.0, 1.0, 0.8, 0.5, 0.2, 0.0]
w.write(tf.event(T0 + 6.2, 6, [tf.value("pr", tensor_bytes=tf.tensor(tf.DT_FLOAT, [6, thresholds], floats=pr), meta=tf.metadata("pr_curves", b"\x10\x05"))]))
w.write(tf.event(T0 + 6.3, 6, [tf.value("note/text_summary", tensor_bytes=tf.tensor(tf.DT_STRING, [1], strings=[b"hello"]), meta=tf.metadata("text"))]))
w.write(tf.event(T0 + 6.4, 6, [tf.value("_hparams_/experiment", meta=tf.metadata("hparams", b"\x12\x00"))]))
w.write(tf.event(T0 + 6.5, 6, [tf.value("hparam/final", simple=0.5)]))
w.write(tf.event(T0 + 7, 3, [tf.value("late", simple=3.0)]))  # the step goes back: a row of its own
w.write_partial(tf.event(T0 + 8, 8, [tf.value("loss", simple=0.125)]), cut=9)
w.close()

sub = tf.RawWriter("tb/run1/multi_a")
for step in range(3):
    sub.write(tf.event(T0 + 10 + step, step, [tf.value("multi", simple=float(step * step))]))
sub.close()

run.finish()
