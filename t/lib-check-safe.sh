# lib-check-safe.sh - sourced after test-lib.sh: writes ./check-safe.
#
#   ./check-safe FILE...   fails, naming the line, when a FILE holds a C0
#                          control but newline and tab, DEL, a C1 control,
#                          a bidi control or mark, an invisible separator,
#                          BOM or tag character, or is not valid UTF-8
#                          (what lib/textsafe.c lets through none of)

cat >check-safe <<\EOF
#!/usr/bin/python3
import re, sys
bad = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069"
                 "\u061c\u200e\u200f\u2028\u2029\ufeff\U000e0000-\U000e007f]")
ok = True
for name in sys.argv[1:]:
    text = open(name, "rb").read().decode("utf-8")
    for n, line in enumerate(text.split("\n"), 1):
        m = bad.search(line)
        if m:
            print("%s:%d: U+%04X in %r" % (name, n, ord(m.group()), line[:120]))
            ok = False
sys.exit(0 if ok else 1)
EOF
chmod +x check-safe
