"""The raw mails of a public-inbox epoch, for tests that check what we
print against the archive itself (with Python's email parser, not ours).

    import archive_mail
    for msg in archive_mail.messages("inbox/git/0.git", ["--since=@1700000000", "HEAD"]):
        ...

messages() runs one `git rev-list` and one `git cat-file --batch` for
the whole selection: a test reads thousands of mails in a second.
"""
import email
import subprocess


def messages(gitdir, rev_args=("HEAD",)):
    """Each message (email.message.Message) of the commits rev_args select."""
    git = ["git", "--git-dir=" + gitdir]
    revs = subprocess.run(git + ["rev-list"] + list(rev_args),
                          capture_output=True, text=True, check=True).stdout.split()
    batch = subprocess.run(git + ["cat-file", "--batch"],
                           input="".join(r + ":m\n" for r in revs).encode(),
                           capture_output=True, check=True).stdout
    pos = 0
    while pos < len(batch):
        nl = batch.index(b"\n", pos)
        size = int(batch[pos:nl].split()[2])
        yield email.message_from_bytes(batch[nl + 1:nl + 1 + size])
        pos = nl + 1 + size + 1


def message_id(msg):
    """The Message-ID without its angle brackets ("" when there is none)."""
    return (msg["Message-ID"] or "").strip().strip("<>")
