#!/usr/bin/env python3
"""Compare our parse of mail with git mailinfo and Python's email package.

    mail-conformance.py OURS.jsonl MAILINFO-DIR PATHS
    mail-conformance.py extract OUTDIR <"git cat-file --batch" output

PATHS names the mail files, one a line; OURS.jsonl is "bench/parse-mails
--dump" of them, in their order;
MAILINFO-DIR holds what "git mailinfo -u" wrote for each FILE as
NAME.info, NAME.msg and NAME.patch (NAME: the file's base name).  Prints one line per field:

    field N of M agree (P%), D differ on purpose, X unexplained

where "on purpose" are the classes the manual page lists (section
"Where we read mail differently from git am") and unexplained ones are
shown, the first few of each field.  Exit 1 when a field's agreement,
the differences on purpose counted as agreement, is below --min
percent (default 99.5).
"""
import email
import email.policy
import json
import os
import re
import sys

MIN = 99.5
args = sys.argv[1:]
if args and args[0] == 'extract':
    # "git cat-file --batch" output on stdin into OUTDIR/aNNNNN files.
    inp, i = sys.stdin.buffer, 0
    while True:
        head = inp.readline().split()
        if not head:
            sys.exit(0)
        data = inp.read(int(head[2]))
        inp.read(1)
        with open(os.path.join(args[1], 'a%05d' % i), 'wb') as fp:
            fp.write(data)
        i += 1
if args and args[0].startswith('--min='):
    MIN = float(args.pop(0)[6:])
ours_path, mi_dir = args[0], args[1]
with open(args[2]) as fp:
    files = fp.read().split()


def text(b):
    """Bytes as we read them: UTF-8, other bytes as Windows-1252."""
    s = b.decode('utf-8', errors='surrogateescape')
    out = []
    for ch in s:
        o = ord(ch)
        if 0xdc80 <= o <= 0xdcff:
            byte = bytes([o - 0xdc00])
            try:
                out.append(byte.decode('cp1252'))
            except UnicodeDecodeError:
                out.append(chr(o - 0xdc00))
        else:
            out.append(ch)
    return ''.join(out)


def lines(s):
    """Lines with blanks collapsed, no empty lines at either end."""
    ls = [' '.join(l.split()) for l in s.replace('\r\n', '\n').split('\n')]
    while ls and not ls[0]:
        ls.pop(0)
    while ls and not ls[-1]:
        ls.pop()
    return ls


def words(s):
    return ' '.join(s.split())


def cut_signature(ls):
    """Lines up to a "-- " signature line (ours end the message there)."""
    for i, l in enumerate(ls):
        if l in ('--', '-- '):
            ls = ls[:i]
            break
    while ls and not ls[-1]:
        ls.pop()
    return ls


def git_diff(patch):
    """The diff of git's patch file: from its first diff line, without the signature."""
    ls = patch.replace('\r\n', '\n').split('\n')
    start = None
    for i, l in enumerate(ls):
        if l.startswith('diff --git ') or (l.startswith('--- ') and i + 1 < len(ls)
                                             and ls[i + 1].startswith('+++ ')):
            start = i
            break
    if start is None:
        return []
    return without_signature(ls[start:])


def without_signature(ls):
    """A diff without the format-patch signature ("-- " or "--", a version) after it."""
    for i in range(len(ls) - 1, max(len(ls) - 6, -1), -1):
        if ls[i] in ('-- ', '--'):
            ls = ls[:i]
            break
    return lines('\n'.join(ls))


def sane_name(name, mail):
    """git mailinfo's get_sane_name(): the address for odd names."""
    if len(name.encode()) < 3 or len(name.encode()) > 60 or re.search('[@<>]', name):
        return mail
    return name


class Field:
    def __init__(self, name):
        self.name, self.agree, self.purpose, self.bad, self.shown = name, 0, 0, 0, 0
        self.why = {}

    def check(self, equal, file, ours, theirs, purpose=None):
        if equal:
            self.agree += 1
        elif purpose:
            self.purpose += 1
            self.why[purpose] = self.why.get(purpose, 0) + 1
        else:
            self.bad += 1
            if self.shown < 3:
                self.shown += 1
                print('# %s differs in %s:\n#   ours:   %.200r\n#   theirs: %.200r'
                      % (self.name, file, ours, theirs))

    def report(self):
        n = self.agree + self.purpose + self.bad
        pct = 100.0 * (self.agree + self.purpose) / n if n else 100.0
        raw = 100.0 * self.agree / n if n else 100.0
        why = ', '.join('%s %d' % kv for kv in sorted(self.why.items()))
        print('%-22s %d of %d agree (%.2f%%), %d differ on purpose%s, %d unexplained: %.2f%%'
              % (self.name, self.agree, n, raw, self.purpose, ' (' + why + ')' if why else '',
                 self.bad, pct))
        return pct


F = {k: Field(k) for k in ('git author name', 'git author email', 'git subject',
                           'git message', 'git patch', 'python subject', 'python from name',
                           'python from email', 'python text')}

with open(ours_path) as fp:
    ours_all = [json.loads(l) for l in fp]
assert len(ours_all) == len(files), 'one dump line per file'

for k, (path, ours) in enumerate(zip(files, ours_all)):
    with open(path, 'rb') as fp:
        raw = fp.read()
    headers = raw.split(b'\n\n', 1)[0].lower()
    if 'error' in ours:
        continue
    # ---- git mailinfo ----
    try:
        base = os.path.join(mi_dir, os.path.basename(path))
        with open(base + '.info', 'rb') as fp:
            info = text(fp.read())
        with open(base + '.msg', 'rb') as fp:
            msg = text(fp.read())
        with open(base + '.patch', 'rb') as fp:
            patch = text(fp.read())
    except OSError:
        info = msg = patch = None
    if info is not None:
        gi = dict(re.findall(r'^(Author|Email|Subject): ?(.*)$', info, re.M))
        a_name = ours.get('author_name', ours['from_name'])
        a_mail = ours.get('author_email', ours['from_email'])
        via = ' via ' in ours['from_name'] or b' via ' in headers
        rewritten = via or b'x-original-from:' in headers
        F['git author email'].check(gi.get('Email', '').lower() == a_mail.lower(), path,
                                    a_mail, gi.get('Email'),
                                    'list rewrite undone' if rewritten and 'author_email' not in ours
                                    else 'address split first' if 'Email' not in gi else None)
        g_name = words(gi.get('Author', ''))
        mine = words(sane_name(a_name, a_mail))
        purpose = None
        if rewritten and 'author_email' not in ours:
            purpose = 'list rewrite undone'
        elif b'=?' in headers or '=?' in msg[:2000]:
            purpose = 'decoded after the split'
        elif '(' in g_name or '"' in g_name or '\\' in g_name:
            purpose = 'comments and quotes'
        F['git author name'].check(g_name == mine or g_name.strip('\'"') == mine, path,
                                   mine, g_name, purpose)
        g_subj = words(gi.get('Subject', ''))
        body_top = raw.split(b'\n\n', 1)[-1][:400].decode('latin-1')
        F['git subject'].check(g_subj == words(ours['title']), path, ours['title'], g_subj,
                               'in-body Subject: not taken'
                               if re.search(r'^subject:', body_top, re.I | re.M)
                               else 'more prefixes stripped'
                               if g_subj.endswith(words(ours['title'])) and ours['title']
                               else None)
    # git am's commit message and patch: of a mail with a patch.
    if info is not None and (ours['has_diff'] or git_diff(patch)):
        git_msg = lines(msg)
        mine_msg = lines(ours['text'])
        if ours['trailers'] and git_msg[:len(mine_msg)] == mine_msg:
            # Our trailers are parsed, git's block is as written: the rest
            # of git's message must be our trailers (continuations joined,
            # git's "[note]" lines and blank lines kept out).
            rest = [l for l in git_msg[len(mine_msg):] if l and not l.startswith('[')]
            tr = [words('%s: %s' % tuple(t)) for t in ours['trailers']]
            if all(any(l in t for t in tr) for l in rest) and \
               all(any(t.startswith(l) for l in rest) for t in tr):
                mine_msg = git_msg
        purpose = None
        if mine_msg != git_msg:
            if cut_signature(git_msg) == mine_msg or lines('\n'.join(cut_signature(git_msg))) == mine_msg:
                purpose = 'signature ends the message'
            elif b'multipart/' in headers or b'format=flowed' in headers:
                purpose = 'MIME parts'
        F['git message'].check(mine_msg == git_msg, path, '\n'.join(mine_msg)[-300:],
                               '\n'.join(git_msg)[-300:], purpose)
        mine_diff = without_signature(ours['diff'].split('\n'))
        theirs_diff = git_diff(patch)
        purpose = None
        if mine_diff != theirs_diff:
            if b'multipart/' in headers:
                purpose = 'MIME parts'
            elif not theirs_diff or not mine_diff:
                purpose = 'diff found differently'
            elif mine_diff[:len(theirs_diff)] == theirs_diff or theirs_diff[:len(mine_diff)] == mine_diff:
                purpose = 'diff ends at the signature'
        F['git patch'].check(mine_diff == theirs_diff, path, mine_diff[:3], theirs_diff[:3],
                             purpose)
    # ---- Python's email package ----
    try:
        pm = email.message_from_bytes(raw, policy=email.policy.default)
        p_subj = words(str(pm['subject'] or ''))
        p_from = pm['from']
        addrs = p_from.addresses if p_from is not None else ()
    except Exception as e:  # noqa: BLE001 - any failure is a difference
        F['python subject'].check(False, path, ours['subject'], 'python: %s' % e, 'python fails')
        continue
    F['python subject'].check(p_subj == words(ours['subject']), path, ours['subject'], p_subj,
                              'broken folding joined' if re.search(rb'^subject:[^\n]*\n[^ \t\n][^:\n]*\n',
                                                                   raw, re.I | re.M) else
                              'undecoded by python' if '=?' in p_subj else None)
    if addrs:
        a = addrs[0]
        via = ' via ' in a.display_name or (' via ' in ours['from_name'])
        rewritten = via or b'x-original-from:' in headers
        F['python from email'].check(a.addr_spec.lower() == ours['from_email'].lower(), path,
                                     ours['from_email'], a.addr_spec,
                                     'list rewrite undone' if rewritten else
                                     'defect read as git' if pm['from'].defects else None)
        F['python from name'].check(words(a.display_name) == words(ours['from_name']), path,
                                    ours['from_name'], a.display_name,
                                    'list rewrite undone' if rewritten else
                                    'comments and quotes' if '(' in str(p_from) or '"' in str(p_from)
                                    else 'defect read as git' if pm['from'].defects else None)
    try:
        parts = [p for p in pm.walk() if p.get_content_type() == 'text/plain'
                 and not p.is_attachment()]
        p_text = '\n'.join(p.get_content() for p in parts)
    except Exception as e:  # noqa: BLE001
        p_text = 'python: %s' % e
    mine_text = lines(ours['body'])
    purpose = None
    if lines(p_text) != mine_text:
        if b'format=flowed' in headers:
            purpose = 'format=flowed undone'
        elif b'multipart/' in headers:
            purpose = 'MIME parts'
        elif not parts:
            purpose = 'no text/plain part'
        elif b'charset' not in headers or b'unknown' in headers or b'8bit' in headers:
            purpose = 'bytes outside the charset'
    F['python text'].check(lines(p_text) == mine_text, path, mine_text[:3], lines(p_text)[:3],
                           purpose)

low = [f.name for f in F.values() if f.report() < MIN]
if low:
    print('below %.1f%%: %s' % (MIN, ', '.join(low)))
    sys.exit(1)
