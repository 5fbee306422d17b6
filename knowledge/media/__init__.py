"""Reading what officials send besides typed text.

speech.py: voice notes → text (optional [voice] extra); ocr.py: photographed and scanned papers
→ text (tesseract); tesseract.py: the tesseract plumbing shared with guidance ingestion.
Nothing heavy is imported here: the speech worker process imports this package.
"""
