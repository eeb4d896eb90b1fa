"""XLIFF 1.1 for translation tools that prefer it to PO (memoQ, Trados, OmegaT), through translate-toolkit.

The exported PO file is converted with translate-toolkit's own po2xliff, and
an uploaded XLIFF file back with xliff2po, so a file behaves as it would
through the toolkit's command-line tools. Those drop ``msgctxt``; every entry
also names its report field in a ``#:`` reference, which the toolkit keeps
(as an XLIFF context group), and the import reads it when ``msgctxt`` is gone.
"""

from lxml import etree
from translate.convert import po2xliff, xliff2po
from translate.storage import po as toolkit_po

from articles import limits
from articles.po_exchange import TranslationExchangeError, parse_po


def po_to_xliff(po_text):
    """The XLIFF document (bytes) of a PO file's text."""
    return po2xliff.po2xliff().convertstore(toolkit_po.pofile(po_text.encode("utf-8")))


def read_xliff(data, path):
    """The PO file (polib) of the XLIFF document ``data`` (bytes) named ``path``; TranslationExchangeError if none."""
    if len(data) > limits.PO_FILE_MAX_BYTES:
        megabytes = limits.PO_FILE_MAX_BYTES // (1024 * 1024)
        raise TranslationExchangeError([f"{path}: larger than {megabytes} MB; export fewer reports per file"])
    try:
        converted = xliff2po.xliff2po().convertstore(data)
    except etree.XMLSyntaxError as error:
        raise TranslationExchangeError([f"{path}: not an XLIFF file ({error})"]) from None
    except Exception:
        # The toolkit asserts that the root is <xliff>, and fails in many ways on units it cannot read.
        raise TranslationExchangeError([f"{path}: not an XLIFF 1.1 or 1.2 file"]) from None
    return parse_po(bytes(converted), path)
