// Package nbdiff makes git diffs of notebooks readable: a textconv filter turns an .ipynb file
// into the text a reviewer reads — each cell's source, its text outputs, and each chart as one
// line (title, points, a short hash) — with no base64, no execution counts and no JSON
// punctuation, and Setup registers it with git.
//
// Git applies a textconv filter only for display (git diff, git log -p, git show); what is
// committed stays the notebook itself. Set it up once per clone:
//
//	cwnb git setup      # repo-local git config + the .gitattributes line, idempotent
//
// which writes
//
//	[diff "cwnb-ipynb"]
//		textconv = '/abs/path/to/cwnb' git textconv
//
// into .git/config and makes sure .gitattributes holds "*.ipynb diff=cwnb-ipynb".
package nbdiff
